"""`copbot scheduler tick` SIGKILLed at random points, then later ticks: every post exactly once.

The kill lands before any call, while Slack is still answering a post (Slack has it, the
tick never hears), or between Slack's answer and the ledger's record. The ticks after it
take over the abandoned claims once their lease has run out, find in the channel what was
made (by its message metadata), and make only what was not.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.slack_client import make_client
from sandbox.slack import SlackStandIn
from scheduler.kinds import KINDS
from scheduler.periods import period_key
from scheduler.posts import LEASE
from scheduler.tick import tick
from storage import db, schedule
from storage.models import ScheduledPost
from tests.scheduler.test_concurrency import FIRST_TICK, SLOT, tick_env
from tests.scheduler.test_tick import make_guild

pytestmark = pytest.mark.slow

COMMUNITIES = 6
TRIALS = 6
POST_ANSWER_SECONDS = 0.15  # each post is answered this late: kills land inside calls too


@pytest.fixture
def channels(engine: Engine, standin: SlackStandIn) -> list[str]:
    names = [f"CKILL{i}" for i in range(COMMUNITIES)]
    for i, channel in enumerate(names):
        standin.add_channel(channel, channel.lower(), members=["UALICE", "UCOPBOT"])
        community = make_guild(channel, name=f"Guild {i}")
        assert community.id is not None
        with db.session() as session:
            for row in schedule.schedules_of(session=session, community_id=community.id):
                row.weekday, row.minute = SLOT
                session.add(row)
            session.commit()
    return names


def kill_somewhere(
    standin: SlackStandIn, env: dict[str, str], cwd: Path, now: datetime, rng: random.Random
) -> str:
    """Start a tick for `now` and SIGKILL it at a random point; say where it was."""
    before = len(standin.calls_to("chat.postMessage"))
    calls = rng.randint(0, COMMUNITIES * len(KINDS) - 1)
    extra = rng.uniform(0, POST_ANSWER_SECONDS * 1.5)
    command = [sys.executable, "-m", "bot.cli", "scheduler", "tick", "--now", now.isoformat()]
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        standin.wait_for(
            lambda: len(standin.calls_to("chat.postMessage")) - before > calls, timeout=60
        )
        time.sleep(extra)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    return f"killed after post {calls + 1} + {extra:.3f}s"


def test_ticks_killed_anywhere_leave_every_post_made_exactly_once(
    engine: Engine, standin: SlackStandIn, channels: list[str], tmp_path: Path
) -> None:
    env = tick_env(engine, standin)
    client = make_client(token=standin.bot_token, base_url=standin.api_url)
    rng = random.Random(20261202)
    standin.slow("chat.postMessage", POST_ANSWER_SECONDS, times=10_000)
    for trial in range(TRIALS):
        now = FIRST_TICK + timedelta(weeks=trial)
        period = period_key(now, "UTC")
        where = kill_somewhere(standin, env, tmp_path, now, rng)
        later = now + LEASE + timedelta(minutes=1)
        for step in range(3):  # the takeover, then whatever it failed to settle
            tick(
                now=later + timedelta(minutes=15 * step),
                client_for=lambda team: client,
                catchup_hours=12,
                claimed_by="after",
            )

        with db.session() as session:
            rows = list(session.exec(select(ScheduledPost).where(ScheduledPost.period == period)))
        table = [(r.community_id, r.kind, r.status, r.attempts, r.message_ts) for r in rows]
        assert len(rows) == COMMUNITIES * len(KINDS), f"{period} {where}: {table}"
        assert {r.status for r in rows} == {"posted"}, f"{period} {where}: {table}"

        made = [
            (channel, m["metadata"]["event_payload"]["kind"], m["ts"])
            for channel in channels
            for m in standin.messages(channel)
            if m.get("metadata", {}).get("event_payload", {}).get("period") == period
        ]
        twice = [k for k, n in Counter((c, kind) for c, kind, _ in made).items() if n > 1]
        assert twice == [], f"{period} {where}: posted twice {twice}"
        assert sorted((c, ts) for c, _, ts in made) == sorted(
            (r.channel_id, r.message_ts) for r in rows
        ), f"{period} {where}: ledger {table}"
