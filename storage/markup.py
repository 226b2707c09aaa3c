"""Slack markup: the one form in which copbot keeps every text people give it.

It lives with storage because it is what is stored; it is pure (no database, no Slack), so
rendering reads it too.

**In.** Slack sends message text, and slash-command text when the manifest says
`should_escape: true`, as *markup*: `&`, `<` and `>` typed by a person arrive as `&amp;`,
`&lt;` and `&gt;`, and what Slack made active arrives as tokens: `<@U123>` or `<@U123|name>`
(a person), `<#C123|name>` (a channel), `<!here>`, `<!channel>`, `<!everyone>` (broadcasts),
`<!subteam^S123|@team>` (a user group), `<!date^…|fallback>`, `<https://…|label>` (a link).
A message shortcut carries its message's text in the same form. Modal inputs arrive *raw*:
exactly the characters typed, so `from_typed` turns them into markup.

**Stored.** Snippets, titles, kudos reasons, prompts and community names and domains are
kept as markup, whatever door they came in by (migration 0007 converted older rows with
`normalise`).

**Out.** Each output converts markup once, for its medium:

- `to_mrkdwn`: mrkdwn fields and message fallbacks. What people typed stays literal; links
  and channel references they made stay links; broadcasts and user groups become plain
  "@here" text; people become "@Name" text unless `mentions=True` (the post copbot makes
  on someone's behalf, where the mention was theirs to make).
- `visible`: plain_text fields, modal initial values, CSV: what a person reads.
- `to_markdown`: the Markdown export: `[label](url)`, "@Name", "#channel".

Names come from `with_names`, which labels each person's token with the name Slack shows,
so rendering needs no look-ups.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

# A token as Slack writes it: "<" target ("|" label)? ">"; neither part holds < or >.
_TOKEN = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_UNESCAPE = {"amp": "&", "lt": "<", "gt": ">"}
# What may open a token in markup: people, channels, specials and links (schemes Slack links).
_VALID_TARGET = re.compile(r"^(?:[@#!]|(?:https?|mailto|ftp|tel|slack):)", re.IGNORECASE)
_LINK_SCHEMES = ("http://", "https://", "mailto:")
BROADCASTS = ("here", "channel", "everyone")


def escape(raw: str) -> str:
    """Raw characters as markup text: `&`, `<` and `>` become entities."""
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Markup text (no tokens) back to raw characters."""
    return _ENTITY.sub(lambda m: _UNESCAPE[m.group(1)], text)


def from_typed(raw: str) -> str:
    """What someone typed into a modal, as markup (nothing they type there is a token)."""
    return escape(raw)


@dataclass(frozen=True)
class Token:
    """One `<…>` of markup: `kind` is user, channel, broadcast, group, date, link or other."""

    kind: str
    target: str
    label: str | None
    source: str


def _token(match: re.Match[str]) -> Token:
    target, label = match.group(1), match.group(2)
    if target.startswith("@"):
        kind = "user"
    elif target.startswith("#"):
        kind = "channel"
    elif target.startswith("!subteam^"):
        kind = "group"
    elif target.startswith("!date^"):
        kind = "date"
    elif target.startswith("!"):
        kind = "broadcast"
    elif target.lower().startswith(_LINK_SCHEMES):
        kind = "link"
    else:
        kind = "other"
    return Token(kind, target, label, match.group(0))


def pieces(markup: str) -> Iterator[str | Token]:
    """The markup as runs of (escaped) text and tokens, in order."""
    last = 0
    for match in _TOKEN.finditer(markup):
        if match.start() > last:
            yield markup[last : match.start()]
        yield _token(match)
        last = match.end()
    if last < len(markup):
        yield markup[last:]


def normalise(text: str) -> str:
    """Any text as valid markup: what is already markup stays; stray `&`, `<`, `>` are escaped.

    For text whose door is unknown (rows stored before markup was the rule): Slack's own
    markup never holds a bare `<` or `&`, so whatever is not an entity or a token that Slack
    could have written is taken as a character someone typed.
    """
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        if not _VALID_TARGET.match(match.group(1)):
            continue
        out.append(_escape_stray(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_escape_stray(text[last:]))
    return "".join(out)


def _escape_stray(text: str) -> str:
    text = re.sub(r"&(?!(?:amp|lt|gt);)", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def mentioned_users(markup: str) -> list[str]:
    """The people a markup text mentions (`<@U…>`), in order, once each."""
    ids = [
        p.target[1:]
        for p in pieces(markup)
        if isinstance(p, Token) and p.kind == "user" and len(p.target) > 1
    ]
    return list(dict.fromkeys(ids))


def with_names(markup: str, names: Mapping[str, str]) -> str:
    """`markup` with each person's token labelled with their name (`<@U1|Lena Ng>`)."""
    if "<@" not in markup:
        return markup

    def label(piece: str | Token) -> str:
        if isinstance(piece, str):
            return piece
        name = names.get(piece.target[1:]) if piece.kind == "user" else None
        return f"<{piece.target}|{escape(name).replace('|', '¦')}>" if name else piece.source

    return "".join(label(p) for p in pieces(markup))


def _seen(token: Token) -> str:
    """A token as a person reads it, as raw text."""
    label = unescape(token.label) if token.label else None
    if token.kind == "user":
        return "@" + (label.lstrip("@") if label else "someone")
    if token.kind == "channel":
        return "#" + (label.lstrip("#") if label else "channel")
    if token.kind == "broadcast":
        return "@" + token.target[1:].split("^")[0]
    if token.kind == "group":
        return "@" + (label.lstrip("@") if label else "group")
    if token.kind in ("date", "other"):
        return label if label is not None else unescape(token.target.lstrip("!"))
    return label if label else unescape(token.target).removeprefix("mailto:")


def visible(markup: str) -> str:
    """What a person reads: raw characters, people and channels by name, links by label."""
    return "".join(unescape(p) if isinstance(p, str) else _seen(p) for p in pieces(markup))


def to_mrkdwn(markup: str, *, mentions: bool = False) -> str:
    """`markup` safe to post as mrkdwn: it pings nobody and links only what was a link.

    Args:
        markup: the stored text.
        mentions: keep people's mentions active (copbot posting for the person who wrote them).
    """
    out: list[str] = []
    for piece in pieces(markup):
        if isinstance(piece, str):
            out.append(piece)
        elif piece.kind == "channel" or (piece.kind == "user" and mentions):
            out.append(f"<{piece.target}>")
        elif piece.kind == "link" and piece.target.lower().startswith(_LINK_SCHEMES):
            label = piece.label or piece.target.removeprefix("mailto:")
            out.append(f"<{piece.target}|{label}>")
        else:
            out.append(escape(_seen(piece)))
    return "".join(out)


# emphasis, code, links, HTML and strike anywhere; a heading only at the start of a line
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~])|(?m:^(#))")


def markdown_text(text: str) -> str:
    """Raw text that a Markdown renderer shows as it is: every character it would read as
    formatting, a link, an HTML tag or a heading is backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)


def markdown_label(text: str) -> str:
    """Raw text safe inside a Markdown link's [label]."""
    return markdown_text(text)


_SLACK_CODE = re.compile(r"(```[^`]+```|`[^`\n]+`)")


def _markdown_run(text: str) -> str:
    """Text as read, escaped for Markdown, except Slack's code (`inline` and ```blocks```),
    which Markdown writes the same way and shows as code: kept as it is."""
    parts = _SLACK_CODE.split(text)  # text, code, text, code, …, text
    out = []
    for index, part in enumerate(parts):
        if not index % 2:
            out.append(markdown_text(part))
        elif part.startswith("```") and "\n" in part:  # a block: fences on their own lines
            out.append("\n```\n" + part[3:-3] + "\n```\n")
        else:
            out.append(part)
    return "".join(out)


def to_markdown(markup: str) -> str:
    """`markup` as Markdown that renders as people read it: `[label](url)` links, @Name and
    #channel as text, code as code, and nothing else typed turned into formatting or HTML."""
    out: list[str] = []
    run: list[str] = []  # text as read, up to the next link: escaped as one, so that a line
    for piece in pieces(markup):  # start is a line start and nothing else is
        if isinstance(piece, Token) and piece.kind == "link":
            out.append(_markdown_run("".join(run)))
            run = []
            url = unescape(piece.target).replace(")", "%29").replace(" ", "%20")
            label = unescape(piece.label) if piece.label else unescape(piece.target)
            out.append(f"[{markdown_label(label.removeprefix('mailto:'))}]({url})")
        else:
            run.append(unescape(piece) if isinstance(piece, str) else _seen(piece))
    out.append(_markdown_run("".join(run)))
    return "".join(out)
