"""What a full-text engine contributes to copbot's search (one module per engine implements it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.engine import Connection


@dataclass(frozen=True)
class Ranking:
    """The SQL pieces one engine contributes to a ranked search (storage/search/query.py).

    `newest` selects (id, score material) of the matches newest first from `matches`, `ids`
    their ids alone (for counting them); `join` brings in snippet `s` for the filters; `rank`
    orders them, best first.
    """

    query: str
    matches: str
    newest: str
    ids: str
    join: str
    rank: str
    scored: int


class Engine(Protocol):
    """What each engine module (storage/search/sqlite.py, postgresql.py) provides."""

    def ranking(self, terms: list[str], tag_words: list[list[str]], *, any_term: bool) -> Ranking:
        """How to find and score `terms` (all of them, or any) and each tag's words."""
        ...

    def index(self, conn: Connection, *, snippet_id: int, title: str, body: str, tags: str) -> None:
        """(Re)write one snippet's index entry."""
        ...

    def unindex(self, conn: Connection, snippet_ids: list[int]) -> None:
        """Drop the entries of snippets about to be deleted."""
        ...
