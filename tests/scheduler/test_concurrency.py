"""Two `copbot scheduler tick` processes on the same due slots: every post is made exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from sandbox.slack import SlackStandIn
from scheduler.kinds import KINDS
from scheduler.periods import period_key
from storage import db, schedule
from storage.models import ScheduledPost
from tests.scheduler.test_tick import MONDAY, make_guild

ROOT = Path(__file__).resolve().parents[2]
COMMUNITIES = 20
REPETITIONS = 12
PROCESSES = 2
# Every kind at Monday 10:00, so each simulated week has COMMUNITIES * 3 posts due at once.
SLOT = (0, 10 * 60)
FIRST_TICK = MONDAY + timedelta(hours=10, minutes=1)


@dataclass
class Ticker:
    """One `copbot scheduler tick` process and what it printed."""

    process: subprocess.Popen[str]
    stdout: str = ""
    stderr: str = ""

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait(self) -> int:
        self.stdout, self.stderr = self.process.communicate(timeout=60)
        return self.process.returncode


@pytest.fixture
def guilds(engine: Engine, standin: SlackStandIn) -> Iterator[list[str]]:
    """COMMUNITIES communities, each in a channel of its own, all three kinds due at SLOT."""
    channels = [f"CCONC{i:02d}" for i in range(COMMUNITIES)]
    for i, channel in enumerate(channels):
        standin.add_channel(channel, channel.lower(), members=["UALICE", "UCOPBOT"])
        community = make_guild(channel, name=f"Guild {i}")
        assert community.id is not None
        with db.session() as session:
            for row in schedule.schedules_of(session=session, community_id=community.id):
                row.weekday, row.minute = SLOT  # updated_at stays a month back (make_guild)
                session.add(row)
            session.commit()
    yield channels


def tick_env(engine: Engine, standin: SlackStandIn) -> dict[str, str]:
    """The environment of a tick process: this test's database and stand-in, nothing else."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "COP_")) and name not in ("DATABASE_URL", "LOG_LEVEL")
    }
    env.update(
        DATABASE_URL=engine.url.render_as_string(hide_password=False),
        SLACK_API_URL=standin.api_url,
        SLACK_BOT_TOKEN=standin.bot_token,
        SLACK_SIGNING_SECRET="concurrency-test-signing-secret",
        PYTHONPATH=str(ROOT),
    )
    return env


def start_tickers(now: datetime, env: dict[str, str], cwd: Path) -> list[Ticker]:
    """PROCESSES `copbot scheduler tick --now` processes, started back to back."""
    command = [sys.executable, "-m", "bot.cli", "scheduler", "tick", "--now", now.isoformat()]
    return [
        Ticker(
            subprocess.Popen(
                command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        )
        for _ in range(PROCESSES)
    ]


def ledger(period: str) -> list[ScheduledPost]:
    with db.session() as session:
        query = select(ScheduledPost).where(ScheduledPost.period == period)
        return list(session.exec(query.order_by(col(ScheduledPost.id))))


def test_two_processes_ticking_at_once_post_each_slot_exactly_once(
    engine: Engine, standin: SlackStandIn, guilds: list[str], tmp_path: Path
) -> None:
    env = tick_env(engine, standin)  # and cwd is tmp_path: no developer's .env is read
    wins: list[list[int]] = []  # claims won each week, per process in the order started
    for week in range(REPETITIONS):
        now = FIRST_TICK + timedelta(weeks=week)
        period = period_key(now, "UTC")
        already = len(standin.calls_to("chat.postMessage"))

        tickers = start_tickers(now, env, tmp_path)
        codes = [ticker.wait() for ticker in tickers]
        outputs = [(t.pid, t.process.returncode, t.stdout, t.stderr) for t in tickers]
        assert codes == [0] * PROCESSES, f"week {period}: a tick process failed: {outputs}"

        rows = ledger(period)
        table = [(r.community_id, r.kind, r.status, r.claimed_by, r.message_ts) for r in rows]
        keys = Counter((r.community_id, r.kind) for r in rows)
        assert len(keys) == COMMUNITIES * len(KINDS), f"week {period}: ledger {table}"
        assert set(keys.values()) == {1}, f"week {period}: ledger {table}"
        assert {r.status for r in rows} == {"posted"}, f"week {period}: ledger {table}"

        sent = [c for c in standin.calls_to("chat.postMessage")[already:] if c.failed is None]
        made = sorted((c.args["channel"], (c.response or {}).get("ts")) for c in sent)
        per_channel = Counter(channel for channel, _ in made)
        assert per_channel == dict.fromkeys(guilds, len(KINDS)), (
            f"week {period}: successful chat.postMessage per channel {per_channel}"
        )
        recorded = sorted((r.channel_id, r.message_ts) for r in rows)
        assert made == recorded, f"week {period}: posts made {made}, ledger {recorded}"

        pids = [ticker.pid for ticker in tickers]
        winners = Counter(int(r.claimed_by.rsplit(":", 1)[-1]) for r in rows)
        assert set(winners) <= set(pids), f"week {period}: claimed by {winners}, not by {pids}"
        wins.append([winners[pid] for pid in pids])

    # In some week both processes won claims: they raced for the same slots at the same time,
    # rather than one finishing before the other started.
    assert any(all(week) for week in wins), f"one process won every claim of each week: {wins}"
