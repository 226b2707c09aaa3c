"""Full-text search on SQLite FTS5 and PostgreSQL tsvector: same behaviour, never a syntax error."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.engine import Engine

from storage import db, knowledge
from storage.search import SearchPage, popular_tags, search_snippets, search_terms
from storage.search import query as search_module
from tests.storage.knowledge_helpers import TEAM, add_snippet, make_community


def search(query: str = "", **kw: object) -> SearchPage:
    with db.session() as session:
        return search_snippets(session=session, team_id=TEAM, query=query, **kw)  # type: ignore[arg-type]


def texts(page: SearchPage) -> list[str]:
    return [s.text for s in page.snippets]


@pytest.fixture
def library(engine: Engine):
    guild = make_community()
    add_snippet(guild, "Use pytest fixtures to share set-up between tests", tags=["testing"])
    add_snippet(guild, "Parametrize tests with pytest.mark.parametrize", tags=["testing"])
    add_snippet(guild, "Type hints make refactoring safer", title="Typing", author="UBOB")
    add_snippet(guild, "The secret handshake is three knocks", channel="CSECRET", private=True)
    return guild


def test_words_prefixes_and_stems_match(library) -> None:
    assert texts(search("fixtures")) == ["Use pytest fixtures to share set-up between tests"]
    assert texts(search("fixt")) == ["Use pytest fixtures to share set-up between tests"]
    assert "Use pytest fixtures to share set-up between tests" in texts(search("fixture"))
    assert len(search("pytest").snippets) == 2


def test_every_word_must_match_before_any_word_does(library) -> None:
    assert texts(search("pytest parametrize")) == ["Parametrize tests with pytest.mark.parametrize"]
    # no snippet has both words: results with either come back instead of nothing
    assert set(texts(search("handshake refactoring"))) == {"Type hints make refactoring safer"}


def test_any_word_results_page_like_every_word_results(engine: Engine) -> None:
    guild = make_community()
    for i in range(7):
        add_snippet(guild, f"note {i} about retries")
    first = search("retries timeouts", limit=5)
    second = search("retries timeouts", limit=5, offset=5)
    assert (len(first.snippets), first.has_more, len(second.snippets)) == (5, True, 2)


def test_natural_questions_still_find_things(library) -> None:
    assert texts(search("how do I use fixtures?"))[0].startswith("Use pytest fixtures")


def test_title_matches_rank_above_body_matches(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "we talked about many things including typing at length")
    add_snippet(guild, "short note", title="Typing")
    assert texts(search("typing"))[0] == "short note"


def test_endorsements_break_ties(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "caching with functools lru_cache", endorsers=["U1"])
    add_snippet(guild, "caching with functools lru_cache!", endorsers=["U1", "U2", "U3"])
    assert texts(search("caching"))[0] == "caching with functools lru_cache!"


def test_tag_and_author_filters(library) -> None:
    assert len(search("", tags=["testing"]).snippets) == 2
    assert texts(search("pytest", tags=["testing"], author_ids=["UBOB"])) == []
    assert texts(search("", author_ids=["UBOB"])) == ["Type hints make refactoring safer"]
    assert texts(search("tests", tags=["nope"])) == []


def test_private_knowledge_only_for_its_channel_members(library) -> None:
    assert texts(search("handshake")) == []
    assert texts(search("handshake", private_channel_ids=["COTHER"])) == []
    assert texts(search("handshake", private_channel_ids=["CSECRET"])) == [
        "The secret handshake is three knocks"
    ]


def test_pending_and_withdrawn_knowledge_is_not_found(engine: Engine) -> None:
    guild = make_community()
    gone = add_snippet(guild, "deleted wisdom about asyncio")
    with db.session() as session:
        knowledge.withdraw_snippet(session=session, snippet=gone)
    assert texts(search("asyncio")) == []


def test_workspaces_never_mix(library) -> None:
    with db.session() as session:
        page = search_snippets(session=session, team_id="T0002", query="pytest")
    assert page.snippets == []


def test_pages_of_five_with_more(engine: Engine) -> None:
    guild = make_community()
    for i in range(12):
        add_snippet(guild, f"tip number {i} about logging")
    first, second, third = (search("logging", limit=5, offset=o) for o in (0, 5, 10))
    assert (len(first.snippets), first.has_more) == (5, True)
    assert (len(second.snippets), second.has_more) == (5, True)
    assert (len(third.snippets), third.has_more) == (2, False)
    seen = texts(first) + texts(second) + texts(third)
    assert len(set(seen)) == 12
    assert [(p.total, p.total_capped) for p in (first, second, third)] == [(12, False)] * 3


def test_a_count_past_its_cap_says_at_least(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "COUNT_CAP", 4)
    guild = make_community()
    for i in range(7):
        add_snippet(guild, f"tip number {i} about logging", tags=["logs"], private=i == 0)
    ranked, browsed = search("logging", limit=2), search("", tags=["logs"], limit=2)
    assert (ranked.total, ranked.total_capped) == (4, True)  # the newest four match
    assert (browsed.total, browsed.total_capped) == (4, True)
    monkeypatch.setattr(search_module, "COUNT_CAP", 10)
    ranked, browsed = search("logging", limit=2), search("", tags=["logs"], limit=2)
    assert (ranked.total, browsed.total) == (6, 6)  # the private one is not for this searcher
    assert not ranked.total_capped and not browsed.total_capped
    assert search("logging", limit=2, private_channel_ids=["C1"]).total == 7


def test_browsing_a_tag_lists_each_snippet_once(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "one", tags=["a", "b", "c"])
    add_snippet(guild, "two", tags=["a"])
    assert sorted(texts(search("", tags=["a"]))) == ["one", "two"]
    assert texts(search("", tags=["a", "c"])) == ["one"]


def test_broad_queries_rank_their_newest_matches(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    monkeypatch.setattr(search_module, "MIN_RANK_WINDOW", 1)
    guild = make_community()
    add_snippet(guild, "short", title="Caching")  # the best match, but the oldest
    for i in range(4):
        add_snippet(guild, f"a long note that mentions caching once among many other words {i}")
    first = search("caching", limit=2)
    assert "short" not in texts(first) and first.has_more
    # paging past the window still reaches every match
    assert len(texts(search("caching", limit=2, offset=2))) == 2
    assert len(texts(search("caching", limit=2, offset=4))) == 1


def test_each_word_of_a_query_takes_its_share_of_the_window(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_WINDOW", 6)
    monkeypatch.setattr(search_module, "MIN_RANK_WINDOW", 1)
    guild = make_community()
    add_snippet(guild, "short", title="Caching layers")  # the best match, but the oldest
    for i in range(3):
        add_snippet(guild, f"a long note on caching and layers among many other words {i}")
    # one word: a window of 6 holds all four, and the title match wins
    assert texts(search("caching", limit=1)) == ["short"]
    # two words: 3 each, so only the newest three are ranked on the first page
    assert "short" not in texts(search("caching layers", limit=1))
    # a page the window cannot fill is ranked whole, as before
    assert texts(search("caching layers", limit=5))[0] == "short"
    assert len(texts(search("caching layers", limit=2, offset=2))) == 2


def test_sqlite_reads_the_full_text_index_first(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("a SQLite query plan")
    guild = make_community()
    add_snippet(guild, "plan check")
    executed: list[tuple[str, Any]] = []

    def remember(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        executed.append((statement, parameters))

    with db.session() as session:
        conn = session.connection()
        event.listen(conn, "before_cursor_execute", remember)
        search_snippets(session=session, team_id=TEAM, query="plan")
        event.remove(conn, "before_cursor_execute", remember)
        ranked = [(sql, params) for sql, params in executed if "MATCH" in sql]
        assert ranked
        for sql, params in ranked:
            steps = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
            reads = [s for s in steps if s.startswith(("SCAN", "SEARCH")) and s != "SCAN w"]
            # a plan starting from snippet's team index runs MATCH once per row: seconds
            assert "VIRTUAL TABLE" in reads[0], steps
            if "JOIN snippet" in sql:  # matches are checked and ranked from the small index
                assert "COVERING INDEX ix_snippet_rank" in reads[1], steps


def test_results_carry_their_tags(library) -> None:
    page = search("fixtures")
    assert page.tags[page.snippets[0].id] == ["testing"]


def test_popular_tags_leave_out_private_knowledge(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "a", tags=["python", "testing"])
    add_snippet(guild, "b", tags=["python"])
    add_snippet(guild, "c", tags=["secret"], private=True, channel="CSECRET")
    with db.session() as session:
        assert popular_tags(session=session, team_id=TEAM) == ["python", "testing"]


def test_search_terms_are_plain_words() -> None:
    assert search_terms('"pytest" OR (fixtures* -mock); DROP TABLE snippet;--') == [
        "pytest",
        "or",
        "fixtures",
        "mock",
        "drop",
        "table",
        "snippet",
    ]
    assert len(search_terms("word " * 5000)) == 1
    assert len(search_terms(" ".join(f"w{i}" for i in range(100)))) == 16


NASTY = [
    '"',
    '"unbalanced',
    "*",
    "fix*",
    "-pytest",
    "pytest OR fixtures",
    "NOT pytest",
    "NEAR(pytest fixtures)",
    "((pytest",
    "pytest)",
    "'; DROP TABLE snippet; --",
    "title:pytest",
    "^start",
    "a & b | !c <-> d:*",
    "\x00\x01",
    "ﬁxtures ǅ Ⅻ ⁂ ㊙ 𝔭𝔶𝔱𝔢𝔰𝔱",
    "x" * 5000,
    "pytest " * 1000,
]


@pytest.mark.parametrize("query", NASTY)
def test_query_syntax_never_errors(library, query: str) -> None:
    page = search(query)
    assert isinstance(page, SearchPage)


@settings(
    max_examples=int(os.environ.get("COP_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(max_size=300), tag=st.text(max_size=20))
def test_any_text_is_searched_as_text(library, query: str, tag: str) -> None:
    page = search(query, tags=[tag] if tag else [])
    assert isinstance(page, SearchPage)
    assert all(s.status == "confirmed" for s in page.snippets)


def test_a_database_without_a_search_engine_is_named_not_sent_fts5() -> None:
    from types import SimpleNamespace

    from storage.search import UnsupportedDatabase
    from storage.search.engines import engine_of

    mysql = SimpleNamespace(get_bind=lambda: SimpleNamespace(dialect=SimpleNamespace(name="mysql")))
    with pytest.raises(UnsupportedDatabase, match="SQLite or PostgreSQL; this database is mysql"):
        engine_of(mysql)  # type: ignore[arg-type]


def test_a_page_is_five_results_unless_asked(engine: Engine) -> None:
    guild = make_community()
    for i in range(6):
        add_snippet(guild, f"hint {i} about profiling")
    page = search("profiling")
    assert (len(page.snippets), page.has_more) == (5, True)
    browsed = search("", author_ids=["UALICE"])
    assert (len(browsed.snippets), browsed.has_more) == (5, True)


def test_a_full_last_page_says_there_is_no_more(engine: Engine) -> None:
    guild = make_community()
    for i in range(4):
        add_snippet(guild, f"hint {i} about profiling", tags=["perf"])
    assert search("profiling", limit=4).has_more is False
    assert search("", tags=["perf"], limit=4).has_more is False
    assert search("", tags=["perf"], limit=3).has_more is True
    assert len(search("", tags=["perf"], limit=3, offset=3).snippets) == 1


def test_pages_after_every_word_results_do_not_turn_into_any_word_results(library) -> None:
    # one snippet has both words; the next page is empty, not a page of either word
    assert len(texts(search("pytest fixtures", limit=1))) == 1
    assert texts(search("pytest fixtures", limit=1, offset=1)) == []


def test_empty_or_nul_filters_are_dropped_not_matched(library) -> None:
    everything = texts(search("pytest"))
    assert len(everything) == 2
    assert texts(search("pytest", tags=["", "testing\x00"])) == everything
    assert texts(search("pytest", author_ids=["", "UALICE\x00"])) == everything


def test_a_tag_of_several_words_is_matched_as_one(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "mock the network in tests", tags=["unit-testing"])
    add_snippet(guild, "mock the clock too", tags=["testing"])
    assert texts(search("mock", tags=["unit-testing"])) == ["mock the network in tests"]


def test_browsing_shows_private_knowledge_to_its_channel_members(library) -> None:
    secret = "The secret handshake is three knocks"
    assert secret not in texts(search("", author_ids=["UALICE"], limit=10))
    assert secret in texts(search("", author_ids=["UALICE"], private_channel_ids=["CSECRET"]))


def test_an_author_filter_keeps_the_other_filters(library) -> None:
    with db.session() as session:
        other = search_snippets(session=session, team_id="T0002", query="", author_ids=["UALICE"])
    assert other.snippets == []
    assert "The secret handshake is three knocks" not in texts(
        search("handshake knocks", author_ids=["UALICE"])
    )
    assert texts(search("refactoring", author_ids=["UBOB"])) == [
        "Type hints make refactoring safer"
    ]


def test_a_window_full_of_hidden_matches_still_finds_the_visible_ones(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    monkeypatch.setattr(search_module, "MIN_RANK_WINDOW", 1)
    guild = make_community()
    add_snippet(guild, "caching, the visible note")  # the oldest match
    for i in range(4):
        add_snippet(guild, f"caching secret {i}", channel="CSECRET", private=True)
    # the newest matches are all private: the query is ranked whole
    assert texts(search("caching", limit=1)) == ["caching, the visible note"]
    assert len(search("caching", limit=1, private_channel_ids=["CSECRET"]).snippets) == 1


def test_every_word_gets_a_share_of_the_window_however_many_words(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_WINDOW", 6)
    monkeypatch.setattr(search_module, "MIN_RANK_WINDOW", 4)
    guild = make_community()
    add_snippet(guild, "short", title="Caching layers")  # the best match, fourth newest
    for i in range(3):
        add_snippet(guild, f"a long note on caching and layers among many other words {i}")
    # 6 // 2 words is 3, but no window is smaller than 4: the title match is ranked
    assert texts(search("caching layers", limit=1)) == ["short"]


def test_each_tag_takes_its_share_of_the_window(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_WINDOW", 6)
    monkeypatch.setattr(search_module, "MIN_RANK_WINDOW", 1)
    guild = make_community()
    add_snippet(guild, "short", title="Caching", tags=["perf"])  # the best match, the oldest
    for i in range(3):
        add_snippet(guild, f"a long note on caching among many other words {i}", tags=["perf"])
    assert texts(search("caching", limit=1)) == ["short"]  # one word: a window of 6
    # one word and one tag: 3 each, so only the newest three are ranked on the first page
    assert "short" not in texts(search("caching", tags=["perf"], limit=1))
