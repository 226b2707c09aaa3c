"""Helpers for the text of Slack messages (markup: storage/markup.py): tags, titles, threads."""

from __future__ import annotations

import re

from storage.markup import escape, visible

MAX_TAGS = 10
MAX_TAG_LENGTH = 64
TITLE_LENGTH = 80

# "#testing" but not a channel link "<#C123|general>" nor an entity such as "&#39;"
_HASHTAG = re.compile(r"(?<![\w&<#])#([^\W_][\w-]{0,63})")
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
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


def title_from(text: str, limit: int = TITLE_LENGTH) -> str:
    """A title for a snippet (markup in, markup out): its first non-empty line as people read
    it, without formatting marks, cut at a word to `limit` characters as they are read."""
    for line in visible(text).splitlines():
        # a leading "> " quotes; any other ">" is text people typed
        line = " ".join(_FORMATTING.sub("", line).lstrip(" >").split())
        if line:
            if len(line) <= limit:
                return escape(line)
            cut = line[: limit - 1]
            if line[limit - 1] != " ":  # the cut is inside a word: drop that word
                cut = cut.rsplit(" ", 1)[0]
            return escape(cut.rstrip() + "…")
    return ""


def compose_thread(root_text: str, replies: list[tuple[str, str]]) -> str:
    """A thread as one snippet text (markup): the root, then each reply as "— name: text".

    Args:
        root_text: the root message's markup.
        replies: (the replier's name as Slack shows it, raw; the reply's markup), in order.
    """
    lines = [root_text.strip()]
    if replies:
        lines.append("")
        lines.extend(f"— {escape(name)}: {text.strip()}" for name, text in replies if text.strip())
    return "\n".join(lines)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 snippet", "2 snippets"; `plural` for nouns that do not just take an s."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
