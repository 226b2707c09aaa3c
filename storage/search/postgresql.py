"""PostgreSQL's search engine: a weighted tsvector per snippet (snippet_search) in a GIN index."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.search.plan import Ranking

_INDEX = text(
    "INSERT INTO snippet_search (snippet_id, document) VALUES (:id, "
    "setweight(to_tsvector('english', :title), 'A') || "
    "setweight(to_tsvector('english', :tags), 'B') || "
    "setweight(to_tsvector('english', :body), 'D')) "
    "ON CONFLICT (snippet_id) DO UPDATE SET document = EXCLUDED.document"
)


def ranking(terms: list[str], tag_words: list[list[str]], *, any_term: bool) -> Ranking:
    """Prefix lexemes of the words (the english configuration drops common ones) and the tags'
    words as B-weighted (tag) lexemes."""
    query = "(" + (" | " if any_term else " & ").join(f"{w}:*" for w in terms) + ")"
    matches = "snippet_search WHERE document @@ to_tsquery('english', :query)"
    return Ranking(
        query=" & ".join([query, *(f"{w}:B" for ws in tag_words for w in ws)]),
        matches=matches,
        newest=f"SELECT snippet_id AS id, document FROM {matches} ORDER BY snippet_id DESC",
        ids=f"SELECT snippet_id AS id FROM {matches} ORDER BY snippet_id DESC",
        join="JOIN snippet s ON s.id = w.id CROSS JOIN to_tsquery('english', :query) q",
        rank="ts_rank_cd(w.document, q) * (1 + 0.1 * LEAST(s.endorsements, 10)) DESC",
        scored=len(terms) + sum(len(ws) for ws in tag_words),
    )


def index(conn: Connection, *, snippet_id: int, title: str, body: str, tags: str) -> None:
    conn.execute(_INDEX, {"id": snippet_id, "title": title, "body": body, "tags": tags})


def unindex(conn: Connection, snippet_ids: list[int]) -> None:
    """Nothing to do: snippet_search rows go with their snippet (ON DELETE CASCADE)."""
