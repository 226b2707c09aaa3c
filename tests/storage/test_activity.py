"""The community a person most recently took part in (the Share knowledge form's default)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from storage import activity, communities, db, knowledge, kudos, messages
from storage.clock import utcnow
from storage.models import Community
from tests.storage.knowledge_helpers import TEAM, add_snippet, make_community


def _bobs_guilds() -> tuple[Community, Community]:
    """Bob joined Python Guild (C2), then Apple Guild (C1): alphabetically first, joined last."""
    python = make_community("Python Guild", channel="C2")
    apple = make_community("Apple Guild", channel="C1")
    with db.session() as session:
        communities.add_members(session=session, community=python, user_ids=["UBOB"])
    with db.session() as session:
        communities.add_members(session=session, community=apple, user_ids=["UBOB"])
    return python, apple


def _shares(guild: Community) -> None:
    add_snippet(guild, "Bob's tip", author="UBOB", channel=guild_channel(guild))


def _saves(guild: Community) -> None:
    snippet = add_snippet(guild, "Carol's tip", author="UCAROL", channel=guild_channel(guild))
    with db.session() as session:
        snippet.curator_id = "UBOB"
        session.add(snippet)
        session.commit()


def _reacts(guild: Community) -> None:
    snippet = add_snippet(guild, "Carol's tip", author="UCAROL", channel=guild_channel(guild))
    with db.session() as session:
        knowledge.add_endorsement(session=session, snippet=snippet, user_id="UBOB", emoji="bulb")


def _thanks(guild: Community, giver: str, receiver: str) -> None:
    with db.session() as session:
        kudos.give_within_quota(
            session=session,
            community=guild,
            giver_id=giver,
            receiver_ids=[receiver],
            reason="thanks",
            source="command",
            channel_id=guild_channel(guild),
            message_ts=f"{utcnow().timestamp():.6f}",
            since=utcnow(),
        )


def _posts(guild: Community) -> None:
    with db.session() as session:
        messages.cache_message(
            session=session,
            team_id=TEAM,
            channel_id=guild_channel(guild),
            ts=f"{utcnow().timestamp():.6f}",
            user_id="UBOB",
            text="hello",
        )


def guild_channel(guild: Community) -> str:
    with db.session() as session:
        channel = communities.home_channel(session=session, community_id=guild.id or 0)
        assert channel is not None
        return channel.channel_id


TAKING_PART: dict[str, Callable[[Community], None]] = {
    "shared": _shares,
    "saved": _saves,
    "reacted": _reacts,
    "gave kudos": lambda g: _thanks(g, "UBOB", "UCAROL"),
    "got kudos": lambda g: _thanks(g, "UCAROL", "UBOB"),
    "posted": _posts,
}


def _default() -> str | None:
    with db.session() as session:
        found = activity.most_recent_community(session=session, team_id=TEAM, user_id="UBOB")
        return found.name if found else None


@pytest.mark.parametrize("took_part", list(TAKING_PART))
def test_any_way_of_taking_part_makes_it_the_default(engine: Engine, took_part: str) -> None:
    python, _ = _bobs_guilds()
    TAKING_PART[took_part](python)
    assert _default() == "Python Guild"


def test_the_latest_part_wins_and_left_communities_do_not_count(
    engine: Engine, clock: Callable[[timedelta], None]
) -> None:
    python, apple = _bobs_guilds()
    _posts(apple)
    clock(timedelta(minutes=5))
    _shares(python)
    assert _default() == "Python Guild"
    clock(timedelta(minutes=10))
    _thanks(apple, "UCAROL", "UBOB")
    assert _default() == "Apple Guild"
    with db.session() as session:
        communities.leave_community(session=session, community=apple, user_id="UBOB")
    assert _default() == "Python Guild"


def test_without_any_part_the_last_joined_and_the_only_one(engine: Engine) -> None:
    python, apple = _bobs_guilds()
    _thanks(python, "UCAROL", "UALICE")  # others' doings are not Bob's
    assert _default() == "Apple Guild"
    with db.session() as session:
        communities.leave_community(session=session, community=apple, user_id="UBOB")
    assert _default() == "Python Guild"
    with db.session() as session:
        communities.leave_community(session=session, community=python, user_id="UBOB")
    assert _default() is None


def test_what_they_did_in_another_workspace_does_not_count(engine: Engine) -> None:
    _bobs_guilds()
    with db.session() as session:
        messages.cache_message(
            session=session,
            team_id="T-OTHER",
            channel_id="C2",
            ts=f"{utcnow().timestamp():.6f}",
            user_id="UBOB",
            text="hello elsewhere",
        )
        assert activity.last_taken_part(session=session, team_id=TEAM, user_id="UBOB") == {}
    assert _default() == "Apple Guild"
