"""Pure helpers for the text of Slack messages: hashtags, titles and mentions."""

from __future__ import annotations

import re

MAX_TAGS = 10
MAX_TAG_LENGTH = 64
TITLE_LENGTH = 80

# "#testing" but not a channel link "<#C123|general>" nor an entity such as "&#39;"
_HASHTAG = re.compile(r"(?<![\w&<#])#([^\W_][\w-]{0,63})")
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SLACK_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
# *bold*, _italic_, ~strike~ and `code` markers at word edges (not snake_case inside words)
_FORMATTING = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")


def hashtags(text: str) -> list[str]:
    """Tags written as #hashtags in `text`, lower-cased, in order, without duplicates."""
    return normalise_tags(_HASHTAG.findall(text))


def normalise_tags(raw: list[str] | str) -> list[str]:
    """Clean tags typed by a person ("#Py-Test, docs") into ["py-test", "docs"]."""
    if isinstance(raw, str):
        raw = re.split(r"[\s,]+", raw)
    tags = []
    for tag in raw:
        tag = tag.strip().lstrip("#").casefold()
        tag = re.sub(r"[^\w-]", "", tag)[:MAX_TAG_LENGTH].strip("-_")
        if tag:
            tags.append(tag)
    return list(dict.fromkeys(tags))[:MAX_TAGS]


def user_mentions(text: str) -> list[str]:
    """User ids mentioned as <@U123> or <@U123|name> (Slack's escaped form), in order."""
    return list(dict.fromkeys(_USER_MENTION.findall(text)))


def readable(text: str) -> str:
    """Slack markup made readable as plain text: <url|label> → label, <@U1|name> → @name."""

    def replace(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if label:
            return ("@" + label) if target.startswith("@") else label
        if target.startswith("!"):
            return "@" + target[1:].split("^")[0]
        return target

    return (
        _SLACK_MARKUP.sub(replace, text)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def title_from(text: str, limit: int = TITLE_LENGTH) -> str:
    """A title for a snippet: its first non-empty line, made readable and cut at a word."""
    for line in readable(text).splitlines():
        line = " ".join(_FORMATTING.sub("", line).strip(" >").split())
        if line:
            if len(line) <= limit:
                return line
            cut = line[: limit - 1].rsplit(" ", 1)[0]
            return (cut or line[: limit - 1]) + "…"
    return ""


def compose_thread(root_text: str, replies: list[tuple[str, str]]) -> str:
    """A thread as one snippet text: the root, then each reply as "— name: text"."""
    lines = [root_text.strip()]
    if replies:
        lines.append("")
        lines.extend(f"— {name}: {text.strip()}" for name, text in replies if text.strip())
    return "\n".join(lines)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 snippet", "2 snippets"; `plural` for nouns that do not just take an s."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
