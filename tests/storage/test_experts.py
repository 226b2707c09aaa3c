"""Who knows a topic (find_experts) and which tags to suggest (popular_tags)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from storage import db, knowledge
from storage.search import Expert, find_experts, popular_tags
from tests.storage.knowledge_helpers import TEAM, add_snippet, make_community


def experts(query: str, **kw: object) -> list[tuple[str, int, int]]:
    with db.session() as session:
        found = find_experts(session=session, team_id=TEAM, query=query, **kw)  # type: ignore[arg-type]
    return [(e.user_id, e.snippets, e.endorsements) for e in found]


def popular(team_id: str = TEAM, **kw: object) -> list[str]:
    with db.session() as session:
        return popular_tags(session=session, team_id=team_id, **kw)  # type: ignore[arg-type]


def test_an_expert_is_scored_two_per_snippet_and_one_per_endorsement() -> None:
    assert Expert("U1", snippets=3, endorsements=4).score == 10


def test_experts_are_authors_and_the_people_who_vouch_for_their_words(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "asyncio task groups", author="UANN", endorsers=["UANN", "UCAT"])
    add_snippet(guild, "asyncio timeouts", author="UANN", endorsers=["UCAT", "UDAN"])
    add_snippet(guild, "django signals", author="UBEN", endorsers=["UCAT"])
    # their own endorsement does not count; UCAT vouched for both asyncio snippets
    assert experts("asyncio") == [("UANN", 2, 0), ("UCAT", 0, 2), ("UDAN", 0, 1)]


def test_more_snippets_win_a_tied_score(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "mypy strict mode", author="UZED", endorsers=["UZED"])
    add_snippet(guild, "mypy plugins", author="UYAN", endorsers=["UAMY"])
    add_snippet(guild, "mypy stubs", author="UYAN", endorsers=["UAMY"])
    # UZED: 1 snippet (2 points); UAMY: 2 endorsements (2 points)
    assert experts("mypy") == [("UYAN", 2, 0), ("UZED", 1, 0), ("UAMY", 0, 2)]


def test_every_matching_snippet_counts_not_just_a_page(engine: Engine) -> None:
    guild = make_community()
    for i in range(7):
        add_snippet(guild, f"celery tip {i}", author="UANN")
    assert experts("celery") == [("UANN", 7, 0)]
    assert experts("celery", sample=3) == [("UANN", 3, 0)]


def test_ten_experts_at_most_unless_asked(engine: Engine) -> None:
    guild = make_community()
    for i in range(11):
        add_snippet(guild, f"numpy trick {i}", author=f"U{i:02d}")
    assert len(experts("numpy")) == 10
    assert len(experts("numpy", limit=11)) == 11


def test_experts_of_a_tag_and_of_private_knowledge(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "redis streams", author="UANN", tags=["queues"])
    add_snippet(guild, "redis caching", author="UBEN")
    add_snippet(guild, "redis cluster secrets", author="UCAT", channel="CSECRET", private=True)
    assert [u for u, _, _ in experts("redis")] == ["UANN", "UBEN"]
    assert [u for u, _, _ in experts("redis", tags=["queues"])] == ["UANN"]
    members = experts("redis", private_channel_ids=["CSECRET"])
    assert [u for u, _, _ in members] == ["UANN", "UBEN", "UCAT"]


def test_no_match_no_experts(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "redis streams", author="UANN")
    assert experts("kafka") == []


def test_popular_tags_are_the_most_used_first_then_alphabetical(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "a", tags=["zeta", "beta", "gamma"])
    add_snippet(guild, "b", tags=["zeta", "gamma"])
    add_snippet(guild, "c", tags=["zeta", "alpha"])
    assert popular() == ["zeta", "gamma", "alpha", "beta"]
    assert popular(limit=2) == ["zeta", "gamma"]


def test_eight_popular_tags_unless_asked(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "many", tags=[f"tag{i}" for i in range(9)])
    assert popular() == [f"tag{i}" for i in range(8)]
    assert len(popular(limit=9)) == 9


def test_popular_tags_are_of_this_workspaces_confirmed_knowledge(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "kept", tags=["kept"])
    gone = add_snippet(guild, "withdrawn", tags=["gone", "kept"])
    with db.session() as session:
        knowledge.withdraw_snippet(session=session, snippet=gone)
    assert popular() == ["kept"]
    assert popular("T0002") == []
