"""Helpers for the text of Slack messages (markup: storage/markup.py): titles, mentions, counts.

Tags live in storage/tags.py and threads in storage/threads.py; `hashtags` and
`normalise_tags` are named here too, for the handlers that read a message's tags.
"""

from __future__ import annotations

import re

from storage.markup import escape, visible
from storage.tags import hashtags, normalise_tags

__all__ = ["counted", "hashtags", "normalise_tags", "title_from", "user_mentions"]

TITLE_LENGTH = 80

_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# *bold*, _italic_, ~strike~ and `code` markers at word edges (not snake_case inside words)
_FORMATTING = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")
_CODE_SPAN = re.compile(r"`([^`]+)`")


def unformatted(line: str) -> str:
    """A line of visible text as people read it: bold, italic, strike and code marks gone,
    but what is inside code kept exactly (`__init__.py` stays __init__.py, not init.py)."""
    parts = _CODE_SPAN.split(line)  # text, code, text, code, …, text
    return "".join(
        part if index % 2 else _FORMATTING.sub("", part) for index, part in enumerate(parts)
    )


def user_mentions(text: str) -> list[str]:
    """User ids mentioned as <@U123> or <@U123|name> (Slack's escaped form), in order."""
    return list(dict.fromkeys(_USER_MENTION.findall(text)))


def title_from(text: str, limit: int = TITLE_LENGTH) -> str:
    """A title for a snippet (markup in, markup out): its first non-empty line as people read
    it, without formatting marks, cut at a word to `limit` characters as they are read."""
    for line in visible(text).splitlines():
        # a leading "> " quotes; any other ">" is text people typed
        line = " ".join(unformatted(line).lstrip(" >").split())
        if line:
            if len(line) <= limit:
                return escape(line)
            cut = line[: limit - 1]
            if line[limit - 1] != " ":  # the cut is inside a word: drop that word
                cut = cut.rsplit(" ", 1)[0]
            return escape(cut.rstrip(" .,;:") + "…")
    return ""


def ordinal(number: int) -> str:
    """ "1st", "2nd", "3rd", "11th", "22nd"."""
    suffix = (
        "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 snippet", "2 snippets"; `plural` for nouns that do not just take an s."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


QUOTED_WORDS = 8


def first_words(markup: str, words: int = QUOTED_WORDS, length: int = 60) -> str:
    """The opening words of a message (markup) as read, without formatting marks, "…" when
    there is more."""
    flat = " ".join(unformatted(line) for line in visible(markup).splitlines()).split()
    quoted = " ".join(flat[:words])
    if len(quoted) > length:
        quoted = quoted[:length].rsplit(" ", 1)[0] or quoted[:length]
    return quoted + ("…" if quoted != " ".join(flat) else "")
