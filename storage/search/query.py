"""Full-text search over snippets, the same on every database: filters, ranking, paging.

Whatever the user typed is reduced to plain words before it reaches an engine, so quotes,
`*`, `-`, `OR`, parentheses or SQL can never be read as query syntax: they are searched as text.
What differs between databases (the index, its query language, its score) is in one module
per engine (storage/search/sqlite.py, postgresql.py), chosen by storage/search/engines.py.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import TextClause, bindparam, func, text
from sqlmodel import Session, col, select

from storage.models import Endorsement, Snippet, SnippetTag
from storage.models.knowledge import STATUS_CONFIRMED
from storage.search.engines import engine_of
from storage.search.words import WORD as _WORD
from storage.search.words import search_terms, searchable

# Ranking costs time per match and per searched word (or tag): a query ranks at most its newest
# RANK_WINDOW matches, divided among its words (1,000 for one word, 500 for two, ...). That
# keeps every search in milliseconds at 100,000 snippets; a query with fewer matches than
# its window, as nearly every query in a real community, is ranked whole.
RANK_WINDOW = 1000
MIN_RANK_WINDOW = 250
# A search of several pages says how many results it has, counting at most this many of the
# newest matches (beyond them, "of 1000+"): a count costs time per match too.
COUNT_CAP = 1000


@dataclass(frozen=True)
class SearchPage:
    """One page of results, best first; `has_more` when another page exists. `total` is how
    many results there are in all, or at least, when `total_capped` (COUNT_CAP)."""

    snippets: list[Snippet]
    tags: dict[int, list[str]]
    has_more: bool
    total: int = 0
    total_capped: bool = False


def search_snippets(
    *,
    session: Session,
    team_id: str,
    query: str,
    tags: Sequence[str] = (),
    author_ids: Sequence[str] = (),
    private_channel_ids: Collection[str] = (),
    limit: int = 5,
    offset: int = 0,
) -> SearchPage:
    """Confirmed snippets of a workspace matching `query`, ranked by relevance and endorsements.

    Args:
        session: the open session.
        team_id: the workspace searched.
        query: free text as the user typed it; only its words are used.
        tags: every one of these tags must be on a result.
        author_ids: when given, results are by one of these authors.
        private_channel_ids: private channels whose knowledge the searcher may see.
        limit: page size.
        offset: results to skip (page * limit).
    """
    terms = search_terms(query)
    # PostgreSQL refuses NUL in text parameters; no tag or user id can contain one anyway
    tags = [t for t in tags if t and "\x00" not in t]
    author_ids = [a for a in author_ids if a and "\x00" not in a]
    filters = (tags, author_ids, private_channel_ids)
    ids: list[int] = []
    any_term = False
    if terms:
        ids = _ranked_ids(session, team_id, terms, *filters, limit + 1, offset)
        # Nothing has every word: results with any of them instead (on every page alike).
        if (
            not ids
            and len(terms) > 1
            and (offset == 0 or not _ranked_ids(session, team_id, terms, *filters, 1, 0))
        ):
            any_term = True
            ids = _ranked_ids(session, team_id, terms, *filters, limit + 1, offset, any_term=True)
    elif tags or author_ids:
        ids = _browse_ids(session, team_id, *filters, limit + 1, offset)
    has_more = len(ids) > limit
    ids = ids[:limit]
    total, capped = offset + len(ids), False
    if has_more or (offset and ids):  # one page says its own count; pages count them all
        if terms:
            total, capped = _count_ranked(session, team_id, terms, *filters, any_term=any_term)
        else:
            total, capped = _count_browsed(session, team_id, *filters)
        total = max(total, offset + len(ids) + int(has_more))
    return SearchPage(
        snippets=_load_in_order(session, ids),
        tags=snippet_tags(session=session, snippet_ids=ids),
        has_more=has_more,
        total=total,
        total_capped=capped,
    )


def _filters(
    tags: Sequence[str], author_ids: Sequence[str], private_channel_ids: Collection[str]
) -> tuple[str, dict[str, object], list[str]]:
    """SQL conditions on snippet `s` shared by both engines, with their parameters."""
    sql = " AND s.team_id = :team AND s.status = :confirmed"
    params: dict[str, object] = {"confirmed": STATUS_CONFIRMED}
    expanding: list[str] = []
    if private_channel_ids:
        sql += " AND (s.is_private = :no OR s.channel_id IN :private)"
        params["private"] = list(private_channel_ids)
        expanding.append("private")
    else:
        sql += " AND s.is_private = :no"
    params["no"] = False
    if author_ids:
        sql += " AND s.author_id IN :authors"
        params["authors"] = list(author_ids)
        expanding.append("authors")
    for i, tag in enumerate(dict.fromkeys(tags)):
        sql += (
            f" AND EXISTS (SELECT 1 FROM snippet_tag t{i}"
            f" WHERE t{i}.snippet_id = s.id AND t{i}.tag = :tag{i})"
        )
        params[f"tag{i}"] = tag
    return sql, params, expanding


@lru_cache(maxsize=256)
def _statement(sql: str, expanding: tuple[str, ...] = ()) -> TextClause:
    """The parsed statement for `sql`, kept: searches repeat a handful of shapes."""
    statement = text(sql)
    if expanding:
        statement = statement.bindparams(*(bindparam(name, expanding=True) for name in expanding))
    return statement


def _run_ids(
    session: Session, sql: str, params: dict[str, object], expanding: list[str]
) -> list[int]:
    rows = session.connection().execute(_statement(sql, tuple(expanding)), params)
    return [row[0] for row in rows]


def _ranked_ids(
    session: Session,
    team_id: str,
    terms: list[str],
    tags: Sequence[str],
    author_ids: Sequence[str],
    private_channel_ids: Collection[str],
    limit: int,
    offset: int,
    *,
    any_term: bool = False,
) -> list[int]:
    where, params, expanding = _filters(tags, author_ids, private_channel_ids)
    # Tags are indexed too: matching them narrows the index walk before the exact tag check.
    tag_words = [_WORD.findall(t.casefold()) for t in dict.fromkeys(tags)]
    plan = engine_of(session).ranking(terms, tag_words, any_term=any_term)
    params.update(query=plan.query, team=team_id, limit=limit, offset=offset)

    def ranked(window: str) -> str:
        return (
            f"WITH w AS ({plan.newest}{window}) SELECT s.id FROM w {plan.join} WHERE 1 = 1{where}"
            f" ORDER BY {plan.rank}, s.id DESC LIMIT :limit OFFSET :offset"
        )

    # A broad query ranks only its newest matches, found in the index alone: one statement
    # walks, scores, filters and ranks them.
    window = max(RANK_WINDOW // max(1, plan.scored), MIN_RANK_WINDOW, offset + limit)
    ids = _run_ids(session, ranked(" LIMIT :window"), {**params, "window": window}, expanding)
    if len(ids) == limit:
        return ids
    # Too few left: unless the window held every match, the filters (workspace, privacy,
    # tags) removed too much of it, and the query is ranked whole.
    beyond = f"SELECT 1 FROM {plan.matches} LIMIT 1 OFFSET :window"
    if not _run_ids(session, beyond, {"query": params["query"], "window": window}, []):
        return ids
    return _run_ids(session, ranked(""), params, expanding)


def _browse_source(params: dict[str, object]) -> str:
    """Where a search by tag or author starts: with a tag, from that tag's rows rather than
    from every snippet."""
    if not params.get("tag0"):
        return "snippet s"
    return (
        "snippet_tag bt JOIN snippet s ON s.id = bt.snippet_id AND bt.team_id = :team"
        " AND bt.tag = :tag0"
    )


def _browse_ids(
    session: Session,
    team_id: str,
    tags: Sequence[str],
    author_ids: Sequence[str],
    private_channel_ids: Collection[str],
    limit: int,
    offset: int,
) -> list[int]:
    where, params, expanding = _filters(tags, author_ids, private_channel_ids)
    source = _browse_source(params)
    sql = (
        f"SELECT s.id FROM {source} WHERE 1 = 1" + where + " "
        "ORDER BY s.endorsements DESC, s.created_at DESC, s.id DESC LIMIT :limit OFFSET :offset"
    )
    params.update(team=team_id, limit=limit, offset=offset)
    return _run_ids(session, sql, params, expanding)


def _count_ranked(
    session: Session,
    team_id: str,
    terms: list[str],
    tags: Sequence[str],
    author_ids: Sequence[str],
    private_channel_ids: Collection[str],
    *,
    any_term: bool,
) -> tuple[int, bool]:
    """How many results a ranked search has among its newest COUNT_CAP matches, and whether
    it has more matches than that (then there may be more results)."""
    where, params, expanding = _filters(tags, author_ids, private_channel_ids)
    tag_words = [_WORD.findall(t.casefold()) for t in dict.fromkeys(tags)]
    plan = engine_of(session).ranking(terms, tag_words, any_term=any_term)
    params.update(query=plan.query, team=team_id, cap=COUNT_CAP)
    counted = (
        f"WITH w AS ({plan.ids} LIMIT :cap) SELECT count(*) FROM w {plan.join} WHERE 1 = 1{where}"
    )
    total = _run_ids(session, counted, params, expanding)[0]
    beyond = f"SELECT 1 FROM {plan.matches} LIMIT 1 OFFSET :cap"
    return total, bool(_run_ids(session, beyond, {"query": plan.query, "cap": COUNT_CAP}, []))


def _count_browsed(
    session: Session,
    team_id: str,
    tags: Sequence[str],
    author_ids: Sequence[str],
    private_channel_ids: Collection[str],
) -> tuple[int, bool]:
    """How many results a search by tag or author alone has, up to COUNT_CAP, and whether it
    has more."""
    where, params, expanding = _filters(tags, author_ids, private_channel_ids)
    params.update(team=team_id, cap=COUNT_CAP + 1)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {_browse_source(params)} WHERE 1 = 1{where}"
    total = _run_ids(session, sql + " LIMIT :cap) c", params, expanding)[0]
    return min(total, COUNT_CAP), total > COUNT_CAP


# Built once: the statements of every search (SQLAlchemy caches their compiled form).
_SNIPPETS = select(Snippet).where(col(Snippet.id).in_(bindparam("ids", expanding=True)))
_TAGS = (
    select(SnippetTag.snippet_id, SnippetTag.tag)
    .where(col(SnippetTag.snippet_id).in_(bindparam("ids", expanding=True)))
    .order_by(col(SnippetTag.tag))
)


def _load_in_order(session: Session, ids: list[int]) -> list[Snippet]:
    if not ids:
        return []
    found = {s.id: s for s in session.exec(_SNIPPETS, params={"ids": ids})}
    return [found[i] for i in ids if i in found]


def snippet_tags(*, session: Session, snippet_ids: Sequence[int]) -> dict[int, list[str]]:
    """Tags of each snippet, alphabetical.

    Args:
        session: the open session.
        snippet_ids: the snippets wanted.
    """
    tags: dict[int, list[str]] = {i: [] for i in snippet_ids}
    if snippet_ids:
        rows = session.connection().execute(_TAGS, {"ids": list(snippet_ids)})
        for snippet_id, tag in rows:
            tags[snippet_id].append(tag)
    return tags


def index_snippet(*, session: Session, snippet: Snippet, tags: Sequence[str]) -> None:
    """(Re)write the search index entry of a snippet; call after its text, title or tags change.

    Args:
        session: the open session (the caller commits).
        snippet: the snippet, already flushed so it has an id.
        tags: its tags.
    """
    conn = session.connection()
    engine_of(session).index(
        conn,
        snippet_id=snippet.id or 0,
        title=searchable(snippet.title),
        body=searchable(snippet.text),
        tags=" ".join(tags),
    )


def unindex_snippets(*, session: Session, snippet_ids: Sequence[int]) -> None:
    """Remove snippets from the index before their rows are deleted.

    Args:
        session: the open session (the caller commits).
        snippet_ids: the snippets being deleted.
    """
    if snippet_ids:
        engine_of(session).unindex(session.connection(), list(snippet_ids))


def popular_tags(*, session: Session, team_id: str, limit: int = 8) -> list[str]:
    """The most used tags of the workspace's public confirmed knowledge (for "try these").

    Args:
        session: the open session.
        team_id: the workspace.
        limit: how many.
    """
    rows = session.exec(
        select(SnippetTag.tag, func.count())
        .join(Snippet, col(Snippet.id) == col(SnippetTag.snippet_id))
        .where(
            SnippetTag.team_id == team_id,
            Snippet.status == STATUS_CONFIRMED,
            col(Snippet.is_private).is_(False),
        )
        .group_by(col(SnippetTag.tag))
        .order_by(func.count().desc(), col(SnippetTag.tag))
        .limit(limit)
    )
    return [tag for tag, _ in rows]


@dataclass(frozen=True)
class Expert:
    user_id: str
    snippets: int
    endorsements: int

    @property
    def score(self) -> float:
        return self.snippets * 2 + self.endorsements


def find_experts(
    *,
    session: Session,
    team_id: str,
    query: str,
    tags: Sequence[str] = (),
    private_channel_ids: Collection[str] = (),
    limit: int = 10,
    sample: int = 200,
) -> list[Expert]:
    """People whose snippets (and endorsements of snippets) best match a topic.

    Args:
        session: the open session.
        team_id: the workspace.
        query: the topic, searched like any query.
        tags: tags the matching snippets must carry.
        private_channel_ids: private channels whose knowledge may be counted.
        limit: how many people.
        sample: how many of the best matching snippets are counted.
    """
    page = search_snippets(
        session=session,
        team_id=team_id,
        query=query,
        tags=tags,
        private_channel_ids=private_channel_ids,
        limit=sample,
    )
    ids = [s.id for s in page.snippets if s.id is not None]
    if not ids:
        return []
    authored: dict[str, int] = {}
    for snippet in page.snippets:
        authored[snippet.author_id] = authored.get(snippet.author_id, 0) + 1
    author_of = {s.id: s.author_id for s in page.snippets}
    endorsed: dict[str, int] = {}
    pairs = session.exec(
        select(Endorsement.user_id, Endorsement.snippet_id)
        .where(col(Endorsement.snippet_id).in_(ids))
        .distinct()
    ).all()
    for user_id, snippet_id in pairs:
        if author_of.get(snippet_id) != user_id:  # vouching for your own words does not count
            endorsed[user_id] = endorsed.get(user_id, 0) + 1
    people = set(authored) | set(endorsed)
    experts = [Expert(u, authored.get(u, 0), int(endorsed.get(u, 0))) for u in people]
    return sorted(experts, key=lambda e: (-e.score, -e.snippets, e.user_id))[:limit]
