"""Capture throughput: signed reaction_added events through copbot's door, end to end.

    .venv/bin/python -m bench.capture [--events 500]

Each event puts :bulb: on a different cached message of a community channel, so each one
captures a snippet: the inbox's receipt, community lookup, snippet + tags + index, endorsement,
refresh, and the stand-in calls (chat.getPermalink, chat.postEphemeral). The clock stops when
the last listener has finished. The baseline is a bare Bolt app whose only listener acks,
given the same kind of requests in the same run. (bench/load.py measures the whole server
under load over HTTP; this one is the work of one kind of event, in one process.)
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient
from sqlmodel import col, func, select

from bench.search import message_text
from bot.app import create_door
from bot.config import Settings
from bot.door import Door
from bot.work import BACKGROUND, WorkPool
from sandbox.slack import SlackStandIn, event_body, reaction_event, sign_request
from scheduler.kinds import default_slots
from storage import communities, db, messages, migrate
from storage.models import Snippet
from storage.models.knowledge import STATUS_CONFIRMED

SIGNING_SECRET = "bench-signing-secret"
TEAM = "T0001"
CHANNEL = "CPYTHON"
# the members of #python (Alice created the community: its facilitator)
PEOPLE = ["UALICE", "UBOB"]
WARMUP = 20


def seed_workspace(standin: SlackStandIn) -> None:
    """Two people and copbot in #python, the stand-in's team being TEAM."""
    standin.add_user("UALICE", name="alice", real_name="Alice Liddell")
    standin.add_user("UBOB", name="bob", real_name="Bob Builder")
    standin.add_channel(CHANNEL, name="python", members=[*PEOPLE, standin.bot_user_id])


def settings_for(standin: SlackStandIn, database_url: str) -> Settings:
    return Settings(
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token=standin.bot_token,
        slack_api_url=standin.api_url,
        database_url=database_url,
    )


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A fresh migrated SQLite file configured as storage.db's engine."""
    with tempfile.TemporaryDirectory(prefix="copbot-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'capture.db'}"
        engine = db.configure(url)
        migrate.upgrade(engine)
        try:
            yield url
        finally:
            engine.dispose()


def create_community() -> None:
    with db.session() as session:
        communities.create_community(
            session=session,
            team_id=TEAM,
            name="Python Guild",
            domain="",
            channel_id=CHANNEL,
            channel_name="python",
            is_private=False,
            created_by="UALICE",
            timezone="UTC",
            slots=default_slots(),
        )


def post_messages(standin: SlackStandIn, count: int, rng: random.Random) -> list[str]:
    """Post `count` messages in the stand-in and the message cache; returns their ts."""
    stamps = []
    with db.session() as session:
        for i in range(count):
            author = PEOPLE[i % len(PEOPLE)]
            posted = standin.add_message(CHANNEL, author, message_text(rng))
            messages.cache_message(
                session=session,
                team_id=TEAM,
                channel_id=CHANNEL,
                ts=posted["ts"],
                user_id=author,
                text=posted["text"],
            )
            stamps.append(posted["ts"])
    return stamps


def signed_requests(standin: SlackStandIn, stamps: Sequence[str]) -> list[BoltRequest]:
    """A signed reaction_added (:bulb:) for each message, by people in turn."""
    requests = []
    for i, ts in enumerate(stamps):
        event = reaction_event(PEOPLE[(i + 1) % len(PEOPLE)], "bulb", channel=CHANNEL, ts=ts)
        body = event_body(
            event, team_id=TEAM, api_app_id=standin.app_id, bot_user_id=standin.bot_user_id
        )
        signed = sign_request(body, SIGNING_SECRET, content_type="application/json")
        headers: dict[str, str | Sequence[str]] = dict(signed)
        requests.append(BoltRequest(body=body, headers=headers))
    return requests


def acknowledge(ack: Ack) -> None:
    """The bare app's only listener."""
    ack()


class Target:
    """An app requests are given to, as its server would, and that can say when it is done."""

    def give(self, request: BoltRequest) -> int:
        raise NotImplementedError

    def wait_idle(self) -> list[BaseException]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class Copbot(Target):
    """copbot's door: records each request and answers; the work runs on its lanes."""

    def __init__(self, settings: Settings) -> None:
        self.door: Door = create_door(settings)

    def give(self, request: BoltRequest) -> int:
        text = request.raw_body
        inline = partial(self.door.app.dispatch, request)
        return self.door.receive(request.body, raw=text, inline=inline).status

    def wait_idle(self) -> list[BaseException]:
        self.door.wait_idle()
        return self.door.worker.pools.errors

    def close(self) -> None:
        self.door.close(wait=30)


class Bare(Target):
    """A bare Bolt app whose listener only acks, on as many threads as copbot's lane."""

    def __init__(self, standin: SlackStandIn, threads: int) -> None:
        self.pool = WorkPool(BACKGROUND, threads)
        client = WebClient(base_url=standin.api_url, token=standin.bot_token)
        self.app = App(signing_secret=SIGNING_SECRET, client=client, listener_executor=self.pool)
        self.app.event("reaction_added")(acknowledge)

    def give(self, request: BoltRequest) -> int:
        return self.app.dispatch(request).status

    def wait_idle(self) -> list[BaseException]:
        self.pool.wait_idle(30)
        return self.pool.errors

    def close(self) -> None:
        self.pool.shutdown()


@dataclass(frozen=True)
class Run:
    label: str
    seconds: float
    ack_ms: list[float]

    @property
    def events(self) -> int:
        return len(self.ack_ms)

    @property
    def per_second(self) -> float:
        return self.events / self.seconds

    @property
    def mean_ms(self) -> float:
        return self.seconds * 1000 / self.events

    def ack_pct(self, p: int) -> float:
        return statistics.quantiles(self.ack_ms, n=100, method="inclusive")[p - 1]


def dispatch_all(label: str, target: Target, requests: list[BoltRequest]) -> Run:
    """Give every request, then wait until every listener has finished."""
    ack_ms = []
    began = time.perf_counter()
    for request in requests:
        sent = time.perf_counter()
        status = target.give(request)
        ack_ms.append((time.perf_counter() - sent) * 1000)
        if status != 200:
            raise SystemExit(f"{label} answered {status}")
    errors = target.wait_idle()
    if errors:
        raise SystemExit(f"a listener failed: {errors[0]!r}")
    return Run(label, time.perf_counter() - began, ack_ms)


def timed_run(
    label: str,
    make_target: Callable[[], Target],
    standin: SlackStandIn,
    warm: list[str],
    timed: list[str],
) -> Run:
    """Warm a target up, then time `timed`; the stand-in's call log then holds the timed run
    only."""
    target = make_target()
    try:
        dispatch_all("warm-up", target, signed_requests(standin, warm))
        standin.clear_calls()
        return dispatch_all(label, target, signed_requests(standin, timed))
    finally:
        target.close()


def captured(stamps: Sequence[str]) -> tuple[int, int]:
    """Snippets of these messages, and how many of them are confirmed."""
    with db.session() as session:
        query = select(Snippet.status, func.count()).where(
            Snippet.team_id == TEAM,
            Snippet.channel_id == CHANNEL,
            col(Snippet.message_ts).in_(stamps),
        )
        rows = dict(session.exec(query.group_by(col(Snippet.status))).all())
    return sum(rows.values()), rows.get(STATUS_CONFIRMED, 0)


def report(bare: Run, copbot: Run, calls: Counter[str], stamps: Sequence[str]) -> bool:
    print(
        f"\n{'app':<12}{'events':>8}{'events/s':>11}{'ms/event':>10}"
        f"{'ack p50 ms':>12}{'ack p95 ms':>12}"
    )
    for run in (bare, copbot):
        print(
            f"{run.label:<12}{run.events:>8}{run.per_second:>11.1f}{run.mean_ms:>10.2f}"
            f"{run.ack_pct(50):>12.2f}{run.ack_pct(95):>12.2f}"
        )
    print(f"\nratio copbot / bare Bolt: {copbot.mean_ms / bare.mean_ms:.1f}× the time per event")
    made = ", ".join(f"{method} {n}" for method, n in calls.most_common())
    print(f"stand-in calls during the timed copbot run: {made or 'none'}")
    total, confirmed = captured(stamps)
    ok = total == confirmed == len(stamps)
    print(
        f"snippets captured: {total} of {len(stamps)} events ({confirmed} confirmed): "
        f"{'ok' if ok else 'MISSING'}"
    )
    return ok


def run(events: int) -> bool:
    """Both apps against one stand-in and one database; True when every event was captured."""
    with SlackStandIn() as standin, sqlite_database() as url:
        seed_workspace(standin)
        create_community()
        stamps = post_messages(standin, WARMUP + events, random.Random(11))
        warm, timed = stamps[:WARMUP], stamps[WARMUP:]
        settings = settings_for(standin, url)
        threads = settings.work_threads
        bare = timed_run("bare Bolt", partial(Bare, standin, threads), standin, warm, timed)
        copbot = timed_run("copbot", partial(Copbot, settings), standin, warm, timed)
        calls = Counter(call.method for call in standin.calls)
        return report(bare, copbot, calls, timed)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.capture", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args(argv)
    print(f"capturing {args.events} reaction_added events on SQLite")
    if not run(args.events):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
