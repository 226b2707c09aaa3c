"""Kudos storage: idempotent thanks, quotas, leaderboards and the weekly figures."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from storage import db, knowledge, kudos
from storage.clock import utcnow
from storage.knowledge import NewSnippet, capture_snippet
from tests.storage.knowledge_helpers import add_snippet, make_community


def _thank(community, giver: str, receiver: str, ts: str = "1.1", source: str = "reaction") -> bool:
    with db.session() as session:
        return kudos.give_kudos(
            session=session,
            community=community,
            giver_id=giver,
            receiver_id=receiver,
            reason="https://x/p1",
            source=source,
            channel_id="C1",
            message_ts=ts,
        )


def test_the_same_thanks_is_recorded_once_and_can_be_withdrawn(engine: Engine) -> None:
    guild = make_community()
    assert _thank(guild, "UA", "UB")
    assert not _thank(guild, "UA", "UB")
    assert _thank(guild, "UC", "UB")
    with db.session() as session:
        assert kudos.received_count(session=session, community_id=guild.id, receiver_id="UB") == 2
        assert (
            kudos.withdraw_kudos(
                session=session,
                team_id=guild.team_id,
                source="reaction",
                channel_id="C1",
                message_ts="1.1",
                giver_id="UA",
            )
            == 1
        )
        assert kudos.received_count(session=session, community_id=guild.id, receiver_id="UB") == 1


def test_quota_counts_what_a_giver_gave_since_a_moment(engine: Engine) -> None:
    guild = make_community()
    for i in range(3):
        _thank(guild, "UA", "UB", ts=f"1.{i}")
    with db.session() as session:
        since = utcnow() - timedelta(minutes=1)
        assert (
            kudos.given_since(session=session, community_id=guild.id, giver_id="UA", since=since)
            == 3
        )
        later = utcnow() + timedelta(minutes=1)
        assert (
            kudos.given_since(session=session, community_id=guild.id, giver_id="UA", since=later)
            == 0
        )


def test_leaderboards_rank_receivers_and_contributors(engine: Engine) -> None:
    guild = make_community()
    for i, receiver in enumerate(["UB", "UB", "UC", "UB", "UC", "UD"]):
        _thank(guild, "UA", receiver, ts=f"2.{i}")
    add_snippet(guild, "one", author="UC")
    add_snippet(guild, "two", author="UC")
    add_snippet(guild, "three", author="UB")
    with db.session() as session:
        boards = kudos.leaderboards(session=session, community_id=guild.id, since=None)
        recent = kudos.leaderboards(
            session=session, community_id=guild.id, since=utcnow() + timedelta(minutes=1)
        )
    assert boards.kudos_received == [("UB", 3), ("UC", 2), ("UD", 1)]
    assert boards.knowledge_shared == [("UC", 2), ("UB", 1)]
    assert recent.kudos_received == [] and recent.knowledge_shared == []


def test_the_weekly_figures_credit_knowledge_without_inventing_kudos(engine: Engine) -> None:
    guild = make_community()
    start = utcnow() - timedelta(minutes=1)
    _thank(guild, "UA", "UB", ts="3.1")
    _thank(guild, "UA", "UC", ts="3.2")
    add_snippet(guild, "mine, saved by me", author="UB")
    with db.session() as session:
        snippet, _ = capture_snippet(
            session=session,
            community=guild,
            new=NewSnippet("C1", "9.9", "UD", "UE", "curated", "", [], "", "command", False),
        )
        knowledge.add_endorsement(session=session, snippet=snippet, user_id="UE", emoji="")
        knowledge.refresh_snippet(session=session, snippet=snippet, community=guild)
        week = kudos.kudos_week(
            session=session, community_id=guild.id, start=start, end=utcnow() + timedelta(minutes=1)
        )
    assert [(k.giver_id, k.receiver_id) for k in week.kudos] == [("UA", "UB"), ("UA", "UC")]
    assert week.top_receivers == [("UB", 1), ("UC", 1)]
    assert week.first_time_receivers == ["UB", "UC"]
    assert week.shared_knowledge == [("UB", 1), ("UD", 1)]
    assert week.curated_knowledge == [("UE", 1)]
    with db.session() as session:
        later = kudos.kudos_week(
            session=session,
            community_id=guild.id,
            start=utcnow() + timedelta(minutes=1),
            end=utcnow() + timedelta(days=7),
        )
    assert later.kudos == [] and later.first_time_receivers == []
