"""Searching knowledge: the public API, the same on every database copbot supports.

- query.py       filters, ranking window, paging, tags, popular tags and experts
- words.py       what of a query is searched
- plan.py        what an engine provides
- engines.py     which engine a database has (and a clear error for one it has not)
- sqlite.py      FTS5 and bm25
- postgresql.py  tsvector, GIN and ts_rank_cd
"""

from storage.search.engines import UnsupportedDatabase
from storage.search.query import (
    Expert,
    SearchPage,
    find_experts,
    index_snippet,
    popular_tags,
    search_snippets,
    snippet_tags,
    unindex_snippets,
)
from storage.search.words import STOP_WORDS, search_terms

__all__ = [
    "STOP_WORDS",
    "Expert",
    "SearchPage",
    "UnsupportedDatabase",
    "find_experts",
    "index_snippet",
    "popular_tags",
    "search_snippets",
    "search_terms",
    "snippet_tags",
    "unindex_snippets",
]
