"""What of a query is searched: its plain words, and the words too common to search."""

from __future__ import annotations

import re

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


def search_terms(query: str) -> list[str]:
    """The words of `query` that are searched: lower-cased letters and digits only, deduplicated."""
    words = [w[:MAX_TERM_LENGTH] for w in WORD.findall(query.casefold())]
    return list(dict.fromkeys(words))[:MAX_TERMS]
