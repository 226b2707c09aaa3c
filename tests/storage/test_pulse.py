"""App Home's numbers: each community's last 7 days beside the 7 before, read at once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from storage import db, kudos, messages, stats
from storage.clock import utcnow
from storage.models import Endorsement, Snippet
from tests.storage.knowledge_helpers import TEAM, add_snippet, make_community

NO_QUOTA = utcnow() - timedelta(days=365)


def _backdate(model: type, days: int) -> None:
    """Every row of `model` happened `days` ago."""
    with db.session() as session:
        for row in session.exec(select(model)):
            row.created_at = utcnow() - timedelta(days=days)
            if isinstance(row, Snippet):
                row.confirmed_at = row.created_at
            session.add(row)
        session.commit()


def test_each_community_gets_its_last_seven_days_and_the_seven_before(engine: Engine) -> None:
    guild, quiet = make_community(), make_community("Quiet Guild", channel="C2")
    for i in range(3):
        add_snippet(guild, f"old tip {i}", author="UBOB")
    _backdate(Snippet, 10)  # the week before, and Bob's endorsements of his own tips
    _backdate(Endorsement, 10)
    add_snippet(guild, "new tip", author="UCAROL", endorsers=["UDAN"])
    with db.session() as session:
        kudos.give_within_quota(
            session=session,
            community=guild,
            giver_id="UERIN",
            receiver_ids=["UCAROL"],
            reason="thanks",
            source="command",
            channel_id="C1",
            message_ts="9.9",
            since=NO_QUOTA,
        )
        messages.cache_message(
            session=session,
            team_id=TEAM,
            channel_id="C1",
            ts=f"{utcnow().timestamp():.6f}",
            user_id="UFRED",
            text="hello",
        )
        found = stats.pulses(
            session=session, team_id=TEAM, community_ids=[guild.id, quiet.id], now=utcnow()
        )
    # this week: Carol's tip, Dan's endorsement, Erin's kudos, Fred's message
    assert found[guild.id] == stats.Pulse(
        snippets=1,
        kudos=1,
        active_people=4,
        snippets_before=3,
        kudos_before=0,
        active_before=1,
    )
    assert found[quiet.id] == stats.Pulse()
    with db.session() as session:
        assert stats.pulses(session=session, team_id=TEAM, community_ids=[], now=utcnow()) == {}
