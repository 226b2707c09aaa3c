"""SQLite's search engine: an FTS5 table (snippet_fts, migrations 0002 and 0004) scored by bm25."""

from __future__ import annotations

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from storage.search.plan import Ranking
from storage.search.words import STOP_WORDS

_UNINDEX = text("DELETE FROM snippet_fts WHERE rowid IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def ranking(terms: list[str], tag_words: list[list[str]], *, any_term: bool) -> Ranking:
    """Prefix phrases of the words (common ones dropped) and a phrase per tag."""
    words = [t for t in terms if t not in STOP_WORDS] or terms
    query = "(" + (" OR " if any_term else " AND ").join(f'"{w}"*' for w in words) + ")"
    tag_phrases = [f'tags : "{" ".join(ws)}"' for ws in tag_words if ws]
    matches = "snippet_fts WHERE snippet_fts MATCH :query"
    return Ranking(
        query=" AND ".join([query, *tag_phrases]),
        matches=matches,
        # bm25 is negative (lower is better); weights: title 4, body 1, tags 2. FTS5 walks its
        # index newest first and stops at the window, scoring only the rows it returns.
        newest=(
            f"SELECT rowid AS id, bm25(snippet_fts, 4.0, 1.0, 2.0) AS r FROM {matches}"
            " ORDER BY rowid DESC"
        ),
        ids=f"SELECT rowid AS id FROM {matches} ORDER BY rowid DESC",
        # CROSS JOIN keeps SQLite reading the full-text index first: started from snippet's
        # team index it would MATCH once per row. ix_snippet_rank holds every column read
        # here (bar the optional author and private-channel filters) in a few pages, where
        # the table has one page per match; without statistics SQLite would not pick it.
        join="CROSS JOIN snippet s INDEXED BY ix_snippet_rank ON s.id = w.id",
        rank="w.r * (1.0 + 0.1 * MIN(s.endorsements, 10))",
        scored=len(words) + len(tag_phrases),
    )


def index(conn: Connection, *, snippet_id: int, title: str, body: str, tags: str) -> None:
    values = {"id": snippet_id, "title": title, "body": body, "tags": tags}
    conn.execute(text("DELETE FROM snippet_fts WHERE rowid = :id"), values)
    conn.execute(
        text(
            "INSERT INTO snippet_fts (rowid, title, body, tags) VALUES (:id, :title, :body, :tags)"
        ),
        values,
    )


def unindex(conn: Connection, snippet_ids: list[int]) -> None:
    conn.execute(_UNINDEX, {"ids": snippet_ids})
