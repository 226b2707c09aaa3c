"""Scheduled fan-out: N communities due at once, posted by scheduler ticks under Slack's limits.

    .venv/bin/python -m bench.fanout [--communities 500] [--rate 50] [--workers 4]
                                     [--kinds prompt,digest,kudos] [--compare]

Every community lives in its own channel of the stand-in, which answers chat.postMessage over
about one message a second per channel, or over a workspace-wide budget of --rate a second,
with 429 + Retry-After. One `scheduler.tick.tick` posts everything due; failed posts are
retried by later ticks at the simulated times the ledger allows (as production's every-minute
tick would). The baseline is the least time those limits allow for the same posts.
"""

from __future__ import annotations

import argparse
import logging
import math
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import SlackResponse
from sqlalchemy import update
from sqlmodel import select

import scheduler.tick
from bot import slack_client
from bot.slack_client import CONNECTION_RETRIES, SERVER_ERROR_RETRIES, make_client
from sandbox.slack import SlackStandIn
from scheduler.clients import POST_RATE_LIMIT_RETRIES
from scheduler.kinds import default_slots
from scheduler.tick import MAX_ATTEMPTS, RETRY_AFTER, tick
from storage import communities, db, migrate, schedule
from storage.models import Community, CommunitySchedule, Member, ScheduledPost
from storage.models.schedule import DEFAULT_SLOTS, POST_POSTED

TEAM = "T0001"
FACILITATOR = "UFACIL"
PER_CHANNEL_PER_SECOND = 1.0  # Slack: "about one message per second per channel"
CATCHUP_HOURS = 12
# Retry ticks: a minute after each of the ledger's retry delays has passed, as the every-minute
# tick would pick them up.
RETRY_TICKS = [sum(RETRY_AFTER[: i + 1], timedelta()) + timedelta(minutes=1) for i in range(2)]


# ----- the limits and the least time they allow ------------------------------------------------
@dataclass(frozen=True)
class Limits:
    rate: float  # workspace-wide posts a second
    burst: float  # workspace bucket capacity
    per_channel: float = PER_CHANNEL_PER_SECOND
    channel_burst: float = 1.0

    def minimum(self, posts: int, per_channel_posts: int) -> float:
        """Seconds from the first post to the last that the two token buckets allow."""
        workspace = max(0.0, posts - self.burst) / self.rate
        channel = max(0.0, per_channel_posts - self.channel_burst) / self.per_channel
        return max(workspace, channel)

    def apply(self, standin: SlackStandIn) -> None:
        standin.limit_rate(
            "chat.postMessage",
            per_channel_per_second=self.per_channel,
            workspace_per_second=self.rate,
            burst=self.burst,
            channel_burst=self.channel_burst,
        )


# ----- the comparisons behind --compare ---------------------------------------------------------
def stock_client(standin: SlackStandIn) -> WebClient:
    """The client before the shared gate: slack_sdk's RateLimitErrorRetryHandler, by which each
    thread sleeps Retry-After plus up to a second of jitter on its own, three times a call."""
    retry_handlers = [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]
    return WebClient(
        token=standin.bot_token, base_url=standin.api_url, timeout=15, retry_handlers=retry_handlers
    )


@contextmanager
def in_due_order() -> Iterator[None]:
    """tick without its interleaving: each community's posts next to each other, as before."""
    original = scheduler.tick.interleave
    scheduler.tick.interleave = lambda due: due
    try:
        yield
    finally:
        scheduler.tick.interleave = original


class ChannelSpacer:
    """At least a second between two posts to one channel, from the answer to the first
    (Slack admitted it before answering, so that leaves a second between the two)."""

    def __init__(self, sleep: Callable[[float], None]) -> None:
        self.interval = 1.0 / PER_CHANNEL_PER_SECOND
        self.sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def spaced(self, post: Callable[..., SlackResponse]) -> Callable[..., SlackResponse]:
        def post_spaced(*, channel: str, **kwargs: Any) -> SlackResponse:
            self._take(channel)
            try:
                return post(channel=channel, **kwargs)
            finally:
                with self._lock:
                    self._next[channel] = time.monotonic() + self.interval

        return post_spaced

    def _take(self, channel: str) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                ready = self._next.get(channel, 0.0)
                if ready <= now:
                    self._next[channel] = math.inf  # in flight
                    return
            self.sleep(0.05 if math.isinf(ready) else ready - now)


# ----- setup ---------------------------------------------------------------------------------
@contextmanager
def sqlite_database() -> Iterator[None]:
    """A fresh migrated SQLite file configured as storage.db's engine."""
    with tempfile.TemporaryDirectory(prefix="copbot-bench-") as tmp:
        engine = db.configure(f"sqlite:///{Path(tmp) / 'fanout.db'}")
        migrate.upgrade(engine)
        try:
            yield
        finally:
            engine.dispose()


def channel_of(i: int) -> str:
    return f"C{i:08d}"


def create_communities(
    standin: SlackStandIn, count: int, kinds: Sequence[str], now: datetime
) -> None:
    """`count` communities, each in its own channel, with every kind in `kinds` due at `now`."""
    standin.add_user(FACILITATOR, "facilitator")
    weekday, minute = now.weekday(), now.hour * 60 + now.minute
    with db.session() as session:
        for i in range(count):
            channel = channel_of(i)
            standin.add_channel(channel, f"cop-{i}", members=[FACILITATOR, standin.bot_user_id])
            community = communities.create_community(
                session=session,
                team_id=TEAM,
                name=f"Community {i}",
                domain="benchmarks",
                channel_id=channel,
                channel_name=f"cop-{i}",
                is_private=False,
                created_by=FACILITATOR,
                timezone="UTC",
                slots=default_slots(),
            )
            for kind in DEFAULT_SLOTS:
                schedule.set_schedule(
                    session=session,
                    community=community,
                    kind=kind,
                    weekday=weekday,
                    minute=minute,
                    enabled=kind in kinds,
                )
        # a month old, so this week's slot counts and nobody is a new member
        month_ago = now - timedelta(days=30)
        session.execute(update(Community).values(created_at=month_ago))
        session.execute(update(CommunitySchedule).values(updated_at=month_ago))
        session.execute(update(Member).values(joined_at=month_ago))
        session.commit()


# ----- one run ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Variant:
    """What a run changes: Slack's limits on or off, and what --compare takes away or adds."""

    label: str
    limited: bool = True
    stock: bool = False  # slack_sdk's own 429 retries instead of copbot's shared gate
    in_order: bool = False  # tick's interleaving off: a community's posts back to back
    spaced: bool = False  # also a second between two posts to one channel, client-side


BASELINE = Variant("no limits", limited=False)
CURRENT = Variant("current code")
COMPARISONS = [
    Variant("slack_sdk retries", stock=True),
    Variant("in due order", in_order=True),
    Variant("both, as before", stock=True, in_order=True),
    Variant("+ channel spacing", spaced=True),
]


class SleepMeter:
    """Seconds workers spent asleep waiting out rate limits, summed over threads."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
        with self._lock:
            self.seconds += seconds


@contextmanager
def metered_retry_sleeps(meter: SleepMeter) -> Iterator[None]:
    """Rate-limit sleeps (slack_sdk's and copbot's gate) go through `meter` (measurement only)."""
    original, ours = builtin_handlers.time, slack_client.time
    builtin_handlers.time = SimpleNamespace(sleep=meter.sleep)  # type: ignore[assignment]
    slack_client.time = SimpleNamespace(  # type: ignore[assignment]
        sleep=meter.sleep, monotonic=time.monotonic
    )
    try:
        yield
    finally:
        builtin_handlers.time, slack_client.time = original, ours


@dataclass
class Result:
    variant: Variant
    posts: int
    workers: int
    limits: Limits
    minimum: float
    tick_seconds: list[float] = field(default_factory=list)
    waited: float = 0.0  # simulated time between the first tick and the last, in seconds
    asleep: float = 0.0  # worker-seconds asleep on rate limits
    ratelimited: Counter[str] = field(default_factory=Counter)
    lost: int = 0
    duplicates: int = 0
    failed_first: int = 0
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> float:
        return sum(self.tick_seconds) + self.waited

    @property
    def ratio(self) -> float:
        return self.total / self.minimum if self.minimum else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= 1.2 and self.lost == 0 and self.duplicates == 0


def run_ticks(client: WebClient, now: datetime, workers: int, result: Result) -> None:
    """The tick at `now`, then retry ticks while failed posts may still be retried."""
    moments = [now] + [now + delay for delay in RETRY_TICKS[: MAX_ATTEMPTS - 1]]
    for n, moment in enumerate(moments):
        began = time.perf_counter()
        report = tick(
            now=moment,
            client_for=lambda team: client,
            catchup_hours=CATCHUP_HOURS,
            workers=workers,
        )
        result.tick_seconds.append(time.perf_counter() - began)
        if n == 0:
            result.failed_first = len(report.failed)
        if not report.failed or n + 1 == len(moments):
            return
        # the retry tick comes at its moment, or at once if the ticks so far ran past it
        gap = (moments[n + 1] - now).total_seconds()
        result.waited = max(0.0, gap - sum(result.tick_seconds))


def count(standin: SlackStandIn, result: Result) -> None:
    """Posts lost and duplicated, from the stand-in's calls and messages and the ledger."""
    calls = standin.calls_to("chat.postMessage")
    succeeded = [c for c in calls if c.failed is None and (c.response or {}).get("ok")]
    result.ratelimited = standin.rate_limited("chat.postMessage")
    with db.session() as session:
        rows = session.exec(select(ScheduledPost)).all()
    delivered = {
        (row.channel_id, row.kind)
        for row in rows
        if row.status == POST_POSTED
        and row.channel_id
        and row.message_ts
        and standin.message(row.channel_id, row.message_ts) is not None
    }
    result.errors.update((row.error or "").split(":")[0] for row in rows if row.error)
    result.lost = result.posts - len(delivered)
    result.duplicates = len(succeeded) - len(delivered)


def run(variant: Variant, size: int, kinds: Sequence[str], limits: Limits, workers: int) -> Result:
    """One fresh stand-in and database, every post due at one moment, then the ticks."""
    now = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    posts = size * len(kinds)
    minimum = limits.minimum(posts, len(kinds)) if variant.limited else 0.0
    result = Result(variant, posts, workers, limits, minimum)
    meter = SleepMeter()
    with SlackStandIn() as standin, sqlite_database():
        create_communities(standin, size, kinds, now)
        if variant.limited:
            limits.apply(standin)
        if variant.stock:
            client = stock_client(standin)
        else:
            # the scheduler's own client (scheduler.clients): shared 429 gate, 20 waits a call
            client = make_client(
                token=standin.bot_token,
                base_url=standin.api_url,
                rate_limit_retries=POST_RATE_LIMIT_RETRIES,
            )
        if variant.spaced:
            spacer = ChannelSpacer(meter.sleep)
            setattr(client, "chat_postMessage", spacer.spaced(client.chat_postMessage))  # noqa: B010
        with ExitStack() as stack:
            stack.enter_context(metered_retry_sleeps(meter))
            if variant.in_order:
                stack.enter_context(in_due_order())
            run_ticks(client, now, workers, result)
        result.asleep = meter.seconds
        count(standin, result)
    return result


# ----- report ----------------------------------------------------------------------------------
def report(results: Sequence[Result]) -> bool:
    print(
        f"\n{'run':<21}{'posts':>6}{'workers':>8}{'budget':>9}{'minimum s':>10}{'total s':>9}"
        f"{'ratio':>7}{'429s':>6}{'lost':>5}{'dups':>5}"
    )
    for r in results:
        limited = r.variant.limited
        budget = f"{r.limits.rate:g}/s" if limited else "none"
        minimum, ratio = (f"{r.minimum:.1f}", f"{r.ratio:.2f}") if limited else ("-", "-")
        print(
            f"{r.variant.label:<21}{r.posts:>6}{r.workers:>8}{budget:>9}{minimum:>10}"
            f"{r.total:>9.1f}{ratio:>7}{r.ratelimited.total():>6}{r.lost:>5}{r.duplicates:>5}"
        )
    print()
    for r in results:
        ticks = " + ".join(f"{s:.1f} s" for s in r.tick_seconds)
        if r.waited:
            ticks += f" + {r.waited:.0f} s between ticks (simulated, counted in total)"
        by_limit = ", ".join(f"{k} {n}" for k, n in sorted(r.ratelimited.items())) or "none"
        errors = ", ".join(f"{e} ×{n}" for e, n in r.errors.most_common()) or "none"
        asleep = r.asleep / (r.workers * sum(r.tick_seconds))
        print(
            f"{r.variant.label}: {len(r.tick_seconds)} tick(s): {ticks}; 429s by limit: {by_limit};"
            f" workers asleep on rate limits {asleep:.0%} of the time;"
            f" failed in the first tick: {r.failed_first}; ledger errors: {errors}"
            + (f"; target {'met' if r.met else 'NOT met'}" if r.variant.limited else "")
        )
    met = all(r.met for r in results if r.variant == CURRENT)
    print(
        "\ntarget (current code): within 1.2× of the minimum, 0 lost, 0 duplicates: "
        + ("met" if met else "NOT met")
    )
    return met


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fanout", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--communities", type=int, default=500)
    parser.add_argument("--rate", type=float, default=50.0, help="workspace posts a second")
    parser.add_argument("--burst", type=float, help="workspace burst (default: one second's)")
    parser.add_argument("--workers", type=int, default=4, help="tick(workers=...)")
    parser.add_argument("--kinds", default=",".join(DEFAULT_SLOTS), help="kinds due at once")
    parser.add_argument("--compare", action="store_true", help="also run the comparisons")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unlimited run")
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    if set(kinds) - set(DEFAULT_SLOTS) or not kinds:
        parser.error(f"--kinds: a comma-separated subset of {','.join(DEFAULT_SLOTS)}")
    limits = Limits(rate=args.rate, burst=args.burst or args.rate)
    # one warning per failed attempt would bury the table: failures are counted in it instead
    logging.getLogger("copbot.scheduler").setLevel(logging.ERROR)
    print(
        f"{args.communities} communities × {', '.join(kinds)} due at once, SQLite,"
        f" {args.workers} tick workers; limits: {limits.per_channel:g}/s per channel"
        f" (burst {limits.channel_burst:g}), {limits.rate:g}/s per workspace"
        f" (burst {limits.burst:g})"
    )
    variants = ([] if args.no_baseline else [BASELINE]) + [CURRENT]
    variants += COMPARISONS if args.compare else []
    results = [run(v, args.communities, kinds, limits, args.workers) for v in variants]
    if not report(results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
