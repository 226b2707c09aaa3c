"""One tick: find every scheduled post that is due, and post it through the one path. Exactly once.

A post is made only by whoever inserted its ScheduledPost row: the unique constraint on
(community, kind, period) picks one winner among any number of processes. Failed attempts
are retried by whoever wins an atomic update of the failed row, up to MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from scheduler import posts
from scheduler.clients import ClientFor
from scheduler.kinds import BY_NAME
from scheduler.periods import latest_run, period_key
from scheduler.slots import weekly_slots
from storage import db, schedule
from storage.models import Community, CommunitySchedule, ScheduledPost

log = logging.getLogger("copbot.scheduler")

MAX_ATTEMPTS = posts.MAX_ATTEMPTS
RETRY_AFTER = posts.RETRY_AFTER


@dataclass
class TickReport:
    """What one tick did, for logs and tests."""

    posted: list[tuple[int, str, str]] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.posted)} posted, {len(self.skipped)} skipped, {len(self.failed)} failed"

    def add(self, key: tuple[int, str, str], attempt: posts.Attempt) -> None:
        if attempt.outcome == posts.POSTED:
            self.posted.append(key)
        elif attempt.outcome == posts.SKIPPED:
            self.skipped.append(key)
        elif attempt.outcome in (posts.FAILED, posts.PAUSED):
            self.failed.append(key)


@dataclass(frozen=True)
class Due:
    community_id: int
    kind: str
    period: str
    run_at: datetime


def claimant() -> str:
    """Who claims posts from this process: host and pid, for the ledger."""
    return f"{socket.gethostname()}:{os.getpid()}"


def due_posts(now: datetime) -> list[Due]:
    """Every (community, kind, period) whose latest slot has passed and has no ledger row yet."""
    due = []
    with db.session() as session:
        for community, rows in schedule.unpaused_schedules(session=session):
            try:
                due += _due_in(session, community, rows, now)
            except Exception:  # one community's bad row (say, a damaged slot) spares the rest
                log.exception("could not tell which posts of community %s are due", community.id)
    return interleave(due)


def _due_in(
    session: Session, community: Community, rows: list[CommunitySchedule], now: datetime
) -> list[Due]:
    assert community.id is not None
    due = []
    for weekly in weekly_slots(community, rows):
        if not weekly.enabled:
            continue
        run_at = latest_run(weekly.slot, community.timezone, now)
        # a slot that passed before the community existed, or before this schedule was set,
        # is next week's business
        if run_at < max(community.created_at, weekly.since):
            continue
        period = period_key(run_at, community.timezone)
        kind = weekly.kind.name
        if schedule.get_post(session=session, community_id=community.id, kind=kind, period=period):
            continue
        due.append(Due(community.id, kind, period, run_at))
    return due


def interleave(due: list[Due]) -> list[Due]:
    """Every community's first post, then every community's second, and so on.

    Slack allows about one message a second per channel: posting a community's three posts
    back to back would have the workers wait on one channel (429s) while others sit idle.
    """
    seen: dict[int, int] = {}
    ranked = []
    for item in due:
        rank = seen.get(item.community_id, 0)
        seen[item.community_id] = rank + 1
        ranked.append((rank, item))
    return [item for _, item in sorted(ranked, key=lambda pair: pair[0])]


def tick(
    *,
    now: datetime,
    client_for: ClientFor,
    catchup_hours: int,
    claimed_by: str | None = None,
    workers: int = 4,
) -> TickReport:
    """Make every post that is due at `now`, then retry failed ones whose time has come.

    Args:
        now: the moment to act as if it were (aware UTC).
        client_for: the Web API client of a workspace, by team id.
        catchup_hours: missed slots older than this are recorded as skipped.
        claimed_by: the claimant's name (default: host and pid).
        workers: posts made at the same time (each community's failure is its own).
    """
    me = claimed_by or claimant()
    report = TickReport()
    due = due_posts(now)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="tick") as pool:
        list(
            pool.map(
                lambda d: _isolated(_post_due, d, now, client_for, catchup_hours, me, report),
                due,
            )
        )
        with db.session() as session:
            retries = schedule.due_again(session=session, now=now, max_attempts=MAX_ATTEMPTS)
        list(pool.map(lambda p: _isolated(_retry, p, now, client_for, me, report), retries))
    if due or retries:
        log.info("tick at %s: %s", now.isoformat(timespec="minutes"), report.summary())
    return report


def _isolated(step: Callable[..., None], item: object, *args: object) -> None:
    """Run one post's step so that its failure (even a database one) never stops the others."""
    try:
        step(item, *args)
    except Exception:  # our bug or an unusable database: logged in full, the tick goes on
        log.exception("scheduled post %s could not be handled", item)


def _post_due(
    due: Due,
    now: datetime,
    client_for: ClientFor,
    catchup_hours: int,
    me: str,
    report: TickReport,
) -> None:
    key = (due.community_id, due.kind, due.period)
    kind = BY_NAME[due.kind]
    with db.session() as session:
        community = session.get(Community, due.community_id)
        if community is None:
            return
        if now - due.run_at > timedelta(hours=catchup_hours):
            if posts.record_skipped(
                session,
                community=community,
                kind=kind,
                period=due.period,
                scheduled_for=due.run_at,
                claimed_by=me,
            ):
                log.info("skipped %s: %s late", key, now - due.run_at)
                report.skipped.append(key)
            return
        attempt = posts.claim_and_post(
            client_for(community.team_id),
            session,
            community=community,
            kind=kind,
            period=due.period,
            scheduled_for=due.run_at,
            now=now,
            claimed_by=me,
        )
        report.add(key, attempt)


def _retry(post_id: int, now: datetime, client_for: ClientFor, me: str, report: TickReport) -> None:
    with db.session() as session:
        attempt = posts.retry_post(client_for, session, post_id=post_id, now=now, claimed_by=me)
        if attempt.outcome == posts.TAKEN:
            return
        post = session.get(ScheduledPost, post_id)
        if post is not None:
            report.add((post.community_id, post.kind, post.period), attempt)
