"""/cop stats: the weekly table, who is slipping away, and the chart as a PNG in a DM."""

from __future__ import annotations

import re
from datetime import timedelta

from storage import communities, db, messages
from storage.clock import utcnow
from tests.harness import TEAM, Copbot


def _age(weeks: int) -> None:
    """The guild was created `weeks` ago."""
    with db.session() as session:
        guild = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
        assert guild is not None
        guild.created_at = utcnow() - timedelta(weeks=weeks)
        session.add(guild)
        session.commit()


def test_stats_table_and_chart(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    _age(10)
    copbot.cop("/cop share Use pathlib", user="UBOB")
    copbot.cop("/cop kudos @bob for pathlib")
    with db.session() as session:  # Carol was active six weeks ago and silent since
        old = utcnow() - timedelta(weeks=6)
        messages.cache_message(
            session=session,
            team_id=TEAM,
            channel_id="CPYTHON",
            ts=f"{old.timestamp():.6f}",
            user_id="UCAROL",
            text="hello from the past",
        )
    reply = copbot.cop("/cop stats 6")
    assert "last 6 weeks" in reply
    table = reply.text.split("```")[1]
    assert len(table.strip().splitlines()) == 7  # header + 6 weeks
    header, *rows = table.strip().splitlines()
    assert header.split() == ["week", "active", "snippets", "endorse", "kudos", "replies", "first"]
    assert "  snippets   endorse" in header, "columns apart, never run together"
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", rows[-1][:8].strip()), rows[-1]  # "Dec 7"
    last = rows[-1].split()
    # active (alice thanked, bob shared), snippets, endorsements (sharing is not endorsing)
    assert last[2:5] == ["2", "1", "0"]  # after the week, "Dec 7"
    assert "Slipping away" in reply and "Carol Danvers" in reply
    [chart] = list(copbot.standin.files.values())
    assert chart["content"].startswith(b"\x89PNG") and chart["channel"].startswith("D")


def test_stats_start_at_the_communitys_first_week(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    _age(2)  # three weeks with today's
    reply = copbot.cop("/cop stats 8")
    assert "*Python Guild*, its first 3 weeks" in reply
    assert len(reply.text.split("```")[1].strip().splitlines()) == 4  # header + 3 weeks
    _age(0)
    assert "its first week" in copbot.cop("/cop stats")


def test_stats_checks_its_argument_and_role(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "from 1 to 26" in copbot.cop("/cop stats 100")
    assert "from 1 to 26" in copbot.cop("/cop stats lots")
    assert "Only facilitators" in copbot.cop("/cop stats", user="UBOB")
