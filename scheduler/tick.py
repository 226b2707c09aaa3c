"""One tick: find every scheduled post that is due, claim it, post it. Exactly once.

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

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from scheduler.jobs import JOBS
from scheduler.notify import tell_facilitators_paused
from scheduler.periods import Slot, latest_run, period_key
from storage import db, schedule
from storage.models import Community, ScheduledPost
from storage.models.schedule import POST_SKIPPED

log = logging.getLogger("copbot.scheduler")

MAX_ATTEMPTS = 3
RETRY_AFTER = (timedelta(minutes=2), timedelta(minutes=10))
# Slack errors that no retry can fix: the community is paused until someone acts.
CHANNEL_GONE = {
    "channel_not_found": "copbot can no longer find its channel",
    "is_archived": "its channel was archived",
    "not_in_channel": "copbot was removed from its channel",
}
ClientFor = Callable[[str], WebClient]


@dataclass
class TickReport:
    """What one tick did, for logs and tests."""

    posted: list[tuple[int, str, str]] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.posted)} posted, {len(self.skipped)} skipped, {len(self.failed)} failed"


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
        for community, slot in schedule.active_schedules(session=session):
            assert community.id is not None
            run_at = latest_run(Slot(slot.weekday, slot.minute), community.timezone, now)
            # a slot that passed before the community existed, or before this schedule was
            # set, is next week's business
            if run_at < max(community.created_at, slot.updated_at):
                continue
            period = period_key(run_at, community.timezone)
            if schedule.get_post(
                session=session, community_id=community.id, kind=slot.kind, period=period
            ):
                continue
            due.append(Due(community.id, slot.kind, period, run_at))
    return interleave(due)


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
                lambda d: _isolated(_claim_and_post, d, now, client_for, catchup_hours, me, report),
                due,
            )
        )
        with db.session() as session:
            retries = schedule.retries_due(session=session, now=now, max_attempts=MAX_ATTEMPTS)
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


def _claim_and_post(
    due: Due,
    now: datetime,
    client_for: ClientFor,
    catchup_hours: int,
    me: str,
    report: TickReport,
) -> None:
    key = (due.community_id, due.kind, due.period)
    with db.session() as session:
        community = session.get(Community, due.community_id)
        if community is None:
            return
        if now - due.run_at > timedelta(hours=catchup_hours):
            if schedule.claim_post(
                session=session,
                community=community,
                kind=due.kind,
                period=due.period,
                scheduled_for=due.run_at,
                claimed_by=me,
                status=POST_SKIPPED,
            ):
                log.info("skipped %s: %s late", key, now - due.run_at)
                report.skipped.append(key)
            return
        post = schedule.claim_post(
            session=session,
            community=community,
            kind=due.kind,
            period=due.period,
            scheduled_for=due.run_at,
            claimed_by=me,
        )
        if post is None:
            return  # another process won the claim
        _attempt(session, client_for(community.team_id), community, post, now, report)


def _retry(post_id: int, now: datetime, client_for: ClientFor, me: str, report: TickReport) -> None:
    with db.session() as session:
        post = schedule.claim_retry(
            session=session, post_id=post_id, now=now, claimed_by=me, max_attempts=MAX_ATTEMPTS
        )
        if post is None:
            return
        community = session.get(Community, post.community_id)
        if community is None or community.paused:
            schedule.mark_failed(
                session=session, post=post, error="community paused", retry_at=None
            )
            return
        _attempt(session, client_for(community.team_id), community, post, now, report)


def _attempt(
    session: Session,
    client: WebClient,
    community: Community,
    post: ScheduledPost,
    now: datetime,
    report: TickReport,
) -> None:
    key = (community.id or 0, post.kind, post.period)
    try:
        outcome = JOBS[post.kind](client, session, community=community, now=now)
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc)
        if error in CHANNEL_GONE:
            _pause(session, client, community, post, CHANNEL_GONE[error])
        else:
            _failed(session, post, f"Slack: {error}", now)
        report.failed.append(key)
        return
    except (SlackClientError, OSError) as exc:  # Slack unreachable after the client's retries
        _failed(session, post, f"connection: {exc}", now)
        report.failed.append(key)
        return
    except Exception as exc:  # our bug: logged in full, the other communities go on
        log.exception("scheduled %s post failed for community %s", post.kind, community.id)
        _failed(session, post, f"error: {type(exc).__name__}: {exc}", now)
        report.failed.append(key)
        return
    if outcome.skipped:
        schedule.mark_skipped(session=session, post=post, reason=outcome.skipped)
        report.skipped.append(key)
        return
    schedule.mark_posted(
        session=session,
        post=post,
        channel_id=outcome.channel_id,
        message_ts=outcome.message_ts,
        prompt_id=outcome.prompt_id,
        when=now,
    )
    report.posted.append(key)


def _failed(session: Session, post: ScheduledPost, error: str, now: datetime) -> None:
    wait = RETRY_AFTER[min(post.attempts, len(RETRY_AFTER)) - 1]
    retry_at = now + wait if post.attempts < MAX_ATTEMPTS else None
    log.warning("%s post %s failed (attempt %s): %s", post.kind, post.period, post.attempts, error)
    schedule.mark_failed(session=session, post=post, error=error, retry_at=retry_at)


def _pause(
    session: Session, client: WebClient, community: Community, post: ScheduledPost, reason: str
) -> None:
    schedule.mark_failed(session=session, post=post, error=reason, retry_at=None)
    if schedule.pause_community(session=session, community=community, reason=reason):
        log.warning("community %s paused: %s", community.id, reason)
        tell_facilitators_paused(client, session, community=community, reason=reason)
