"""What of a query, and of a snippet, is searched: plain words, emoji by name, no markup."""

from __future__ import annotations

import re

import emoji

from storage.markup import visible

MAX_TERMS = 16
MAX_TERM_LENGTH = 40
WORD = re.compile(r"[^\W_]+")
# Dropped from SQLite queries (PostgreSQL's english configuration drops its own), so that
# "how to use fixtures" still finds a snippet about fixtures.
STOP_WORDS = frozenset(
    (
        "a an and are as at be but by do does for from has have how i in is it of on or our so "
        "than that the their there this to us was we what when where which who why will with "
        "you your about know"
    ).split()
)


def emoji_words(text: str) -> str:
    """Emoji characters as their names ("🐍" -> " snake "), as Slack writes them (":snake:")."""
    return emoji.demojize(text, delimiters=(" :", ": "))


def search_terms(query: str) -> list[str]:
    """The words of `query` (text as read) that are searched: lower-cased letters and digits,
    emoji by name, deduplicated."""
    words = [w[:MAX_TERM_LENGTH] for w in WORD.findall(emoji_words(query).casefold())]
    return list(dict.fromkeys(words))[:MAX_TERMS]


def searchable(markup: str) -> str:
    """What the index keeps of a snippet's markup: its text as read, emoji by name."""
    return emoji_words(visible(markup))
