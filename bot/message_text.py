"""The text of a Slack message as markup (storage/markup.py), wherever Slack put it.

A message carries its words in up to three places:

- `text`: markup, as Slack escapes and links it. Preferred whenever it is not blank.
- `blocks`: the composer's `rich_text` (sections, lists, code, quotes), whose text elements hold
  *raw* characters; people, channels, groups, broadcasts, links and emoji are elements of
  their own. Read when `text` is blank.
- `attachments`: a forwarded or shared message (`is_share`) arrives with `text: ""` and the
  message it shares in an attachment: its markup `text` (else `message_blocks`, else
  `fallback`), who wrote it (`author_id`, `author_name`) and where (`from_url`). A snippet
  keeps it as a quote with who said it, after whatever the sharer wrote. Other attachments
  (link previews, a pasted permalink's unfurl) repeat what the text already says, so they
  count only for a message with no words of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from storage.markup import escape, normalise

QUOTE = "&gt; "
BULLETS = ("•", "◦", "▪")  # what the Slack client writes for list levels 0, 1, 2, then again
INDENT = "    "
# Markers in the order they nest, outermost first: *_~`x`~_*
STYLES = (("bold", "*"), ("italic", "_"), ("strike", "~"), ("code", "`"))


def message_markup(message: Mapping[str, Any]) -> str:
    """A message's text as markup: its own words (`text`, else its rich_text `blocks`), then
    each message it shares, quoted, with who wrote it."""
    own = _markup(message.get("text")) or blocks_markup(message.get("blocks"))
    attachments = list(_dicts(message.get("attachments")))
    shared = [_shared(a) for a in attachments if a.get("is_share")]
    if not own and not any(shared):
        shared = [_attachment(a) for a in attachments]
    return "\n\n".join(part for part in (own, *shared) if part)


def blocks_markup(blocks: Any) -> str:
    """The markup of a message's blocks: rich_text, and the text of sections, headers and
    context blocks (what apps post); anything else shows no words."""
    return "\n".join(text for text in map(_block, _dicts(blocks)) if text)


def _dicts(value: Any) -> Iterable[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _count(value: Any, most: int) -> int:
    """A small count Slack gives (a list's indent or offset), whatever arrived."""
    return min(max(value, 0), most) if isinstance(value, int) and not isinstance(value, bool) else 0


def _markup(value: Any) -> str:
    return value if isinstance(value, str) and value.strip() else ""


def _block(block: Mapping[str, Any]) -> str:
    kind = block.get("type")
    if kind == "rich_text":
        return "\n".join(_rich(element) for element in _dicts(block.get("elements")))
    if kind in ("section", "header"):
        texts = [block.get("text"), *_dicts(block.get("fields"))]
        return "\n".join(text for text in map(_text_object, texts) if text)
    if kind == "context":
        return " ".join(text for text in map(_text_object, _dicts(block.get("elements"))) if text)
    return ""


def _text_object(obj: Any) -> str:
    """A Block Kit text object: mrkdwn is markup already, plain_text is raw."""
    if not isinstance(obj, Mapping) or not isinstance(obj.get("text"), str):
        return ""
    return normalise(obj["text"]) if obj.get("type") == "mrkdwn" else escape(obj["text"])


def _rich(element: Mapping[str, Any]) -> str:
    """One element of a rich_text block: a section, a list, a code block or a quote."""
    kind = element.get("type")
    if kind == "rich_text_list":
        return _list(element)
    inline = _inline(element.get("elements"), styled=kind != "rich_text_preformatted")
    if kind == "rich_text_preformatted":
        return f"```{inline}```"
    if kind == "rich_text_quote":
        return "\n".join(QUOTE + line for line in inline.rstrip("\n").split("\n"))
    return inline.rstrip("\n")


def _list(element: Mapping[str, Any]) -> str:
    indent = _count(element.get("indent"), 8)
    first = _count(element.get("offset"), 10**6) + 1
    ordered = element.get("style") == "ordered"
    lines = []
    for number, item in enumerate(_dicts(element.get("elements")), start=first):
        mark = f"{number}." if ordered else BULLETS[indent % len(BULLETS)]
        lines.append(f"{INDENT * indent}{mark} {_inline(item.get('elements')).strip()}")
    return "\n".join(lines)


def _inline(elements: Any, *, styled: bool = True) -> str:
    parts = []
    for element in _dicts(elements):
        text = _element(element)
        style = element.get("style")
        parts.append(_styled(text, style) if styled and isinstance(style, Mapping) else text)
    return "".join(parts)


def _element(element: Mapping[str, Any]) -> str:
    """One inline rich text element as markup (text elements hold raw characters)."""
    kind = element.get("type")
    if kind == "text":
        return escape(str(element.get("text") or ""))
    if kind == "link":
        return _link(str(element.get("url") or ""), element.get("text"))
    if kind == "user":
        return f"<@{element.get('user_id', '')}>"
    if kind == "channel":
        return f"<#{element.get('channel_id', '')}>"
    if kind == "usergroup":
        return f"<!subteam^{element.get('usergroup_id', '')}>"
    if kind == "broadcast":
        return f"<!{element.get('range', 'here')}>"
    if kind == "emoji":
        # as Slack writes it in text: :wave: and :wave::skin-tone-3:
        tone = element.get("skin_tone")
        return f":{element.get('name', '')}:" + (f":skin-tone-{tone}:" if tone else "")
    if kind == "date":
        return _date(element)
    if kind == "color":
        return escape(str(element.get("value") or ""))
    if isinstance(element.get("text"), str):
        return escape(element["text"])
    return _link(element["url"], None) if isinstance(element.get("url"), str) else ""


def _link(url: str, label: Any) -> str:
    if not url:
        return escape(label) if isinstance(label, str) else ""
    target = escape(url).replace("|", "%7C")
    if isinstance(label, str) and label and label != url:
        return f"<{target}|{escape(label)}>"
    return f"<{target}>"


def _date(element: Mapping[str, Any]) -> str:
    target = f"!date^{element.get('timestamp', 0)}^{escape(str(element.get('format') or ''))}"
    if element.get("url"):
        target += "^" + escape(str(element["url"])).replace("|", "%7C")
    return f"<{target}|{escape(str(element.get('fallback') or ''))}>"


def _styled(text: str, style: Mapping[str, Any]) -> str:
    """`text` inside the mrkdwn markers of its style; spaces stay outside, where Slack reads
    the markers."""
    core = text.strip()
    if not core:
        return text
    start, end = text.index(core), text.index(core) + len(core)
    for name, marker in reversed(STYLES):
        if style.get(name):
            core = f"{marker}{core}{marker}"
    return text[:start] + core + text[end:]


def _shared(attachment: Mapping[str, Any]) -> str:
    """A forwarded or shared message: its text quoted, then who wrote it and a link to it."""
    body = (
        _markup(attachment.get("text"))
        or blocks_markup(
            [
                block
                for shared in _dicts(attachment.get("message_blocks"))
                if isinstance(shared.get("message"), Mapping)
                for block in _dicts(shared["message"].get("blocks"))
            ]
        )
        or _markup(attachment.get("fallback"))
    )
    if not body:
        return ""
    quoted = "\n".join(QUOTE + line for line in normalise(body).strip().split("\n"))
    author = attachment.get("author_id")
    name = attachment.get("author_name") or attachment.get("author_subname")
    who = f"<@{author}>" if author else escape(str(name)) if name else ""
    url = attachment.get("from_url") or attachment.get("original_url")
    source = _link(str(url), "original message") if url else ""
    credit = ", ".join(part for part in (who, source) if part)
    return f"{quoted}\n— {credit}" if credit else quoted


def _attachment(attachment: Mapping[str, Any]) -> str:
    """Any other attachment, for a message that has nothing else: its pretext and text."""
    text = _markup(attachment.get("text")) or _markup(attachment.get("fallback"))
    parts = (_markup(attachment.get("pretext")), text)
    return "\n".join(normalise(part) for part in parts if part)
