"""Weekly schedules and the claim ledger that makes every scheduled post happen exactly once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, bindparam, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.models import Community, CommunitySchedule, ScheduledPost
from storage.models.schedule import (
    POST_CLAIMED,
    POST_FAILED,
    POST_POSTED,
    POST_SKIPPED,
)
from storage.upsert import insert_if_absent


def schedules_of(*, session: Session, community_id: int) -> list[CommunitySchedule]:
    """A community's schedule per kind, in the order prompt, digest, kudos."""
    query = (
        select(CommunitySchedule)
        .where(CommunitySchedule.community_id == community_id)
        .order_by(col(CommunitySchedule.id))
    )
    return list(session.exec(query))


class ScheduleRow(NamedTuple):
    """A stored weekly slot, as read for many communities at once (no ORM object each)."""

    community_id: int
    kind: str
    weekday: int
    minute: int
    enabled: bool
    updated_at: datetime


def schedules_of_communities(
    *, session: Session, team_id: str, community_ids: Iterable[int]
) -> dict[int, list[ScheduleRow]]:
    """Several communities' schedules in one query, each in the order schedules_of gives.

    Args:
        session: the open session.
        team_id: the workspace.
        community_ids: the communities; each gets a list, empty when it has no rows.
    """
    wanted = list(community_ids)
    rows: dict[int, list[ScheduleRow]] = {community_id: [] for community_id in wanted}
    found = {"team_id": team_id, "community_ids": wanted}
    for row in session.connection().execute(_SCHEDULES, found):
        rows[row.community_id].append(ScheduleRow._make(row))
    return rows


_SCHEDULES = (
    select(
        CommunitySchedule.community_id,
        CommunitySchedule.kind,
        CommunitySchedule.weekday,
        CommunitySchedule.minute,
    )
    .add_columns(col(CommunitySchedule.enabled), col(CommunitySchedule.updated_at))
    .where(
        col(CommunitySchedule.team_id) == bindparam("team_id"),
        col(CommunitySchedule.community_id).in_(bindparam("community_ids", expanding=True)),
    )
    .order_by(col(CommunitySchedule.id))
)


def set_schedule(
    *,
    session: Session,
    community: Community,
    kind: str,
    weekday: int | None = None,
    minute: int | None = None,
    enabled: bool | None = None,
) -> CommunitySchedule:
    """Change one kind's weekly slot or switch it on or off.

    Args:
        session: the open session (committed here).
        community: the community.
        kind: the kind's name (scheduler/kinds.py).
        weekday: Monday = 0, when changing the day.
        minute: minute of the local day, when changing the time.
        enabled: switch the kind on or off.
    """
    assert community.id is not None
    if weekday is not None and not 0 <= weekday <= 6:
        raise ValueError(f"not a day of the week: {weekday}")
    if minute is not None and not 0 <= minute < 24 * 60:
        raise ValueError(f"not a minute of the day: {minute}")
    row = session.exec(
        select(CommunitySchedule).where(
            CommunitySchedule.community_id == community.id, CommunitySchedule.kind == kind
        )
    ).first() or CommunitySchedule(team_id=community.team_id, community_id=community.id, kind=kind)
    if weekday is not None:
        row.weekday = weekday
    if minute is not None:
        row.minute = minute
    if enabled is not None:
        row.enabled = enabled
    row.updated_at = utcnow()
    session.add(row)
    session.commit()
    return row


def unpaused_schedules(*, session: Session) -> list[tuple[Community, list[CommunitySchedule]]]:
    """Every community that is not paused, in every workspace, with its schedule rows.

    A community has a row per kind it was given (on or off); kinds added to copbot after it
    was created have none, and the scheduler gives them their default slot.
    """
    query = (
        select(Community, CommunitySchedule)
        .outerjoin(CommunitySchedule, col(CommunitySchedule.community_id) == col(Community.id))
        .where(col(Community.paused).is_(False))
        .order_by(col(Community.id), col(CommunitySchedule.id))
    )
    found: dict[int, tuple[Community, list[CommunitySchedule]]] = {}
    for community, row in session.exec(query):
        _, rows = found.setdefault(community.id or 0, (community, []))
        if row is not None:
            rows.append(row)
    return list(found.values())


def get_post(
    *, session: Session, community_id: int, kind: str, period: str
) -> ScheduledPost | None:
    """The ledger row of one (community, kind, period), if any."""
    query = select(ScheduledPost).where(
        ScheduledPost.community_id == community_id,
        ScheduledPost.kind == kind,
        ScheduledPost.period == period,
    )
    return session.exec(query).first()


def claim_post(
    *,
    session: Session,
    community: Community,
    kind: str,
    period: str,
    scheduled_for: datetime,
    claimed_by: str,
    lease_until: datetime | None = None,
    status: str = POST_CLAIMED,
) -> ScheduledPost | None:
    """Insert the ledger row for (community, kind, period); only the inserter may post.

    Args:
        session: the open session (committed here).
        community: the community.
        kind: what is posted.
        period: the ISO week of the local scheduled time, e.g. "2026-W48".
        scheduled_for: when it was due.
        claimed_by: who claims it (process and host), for the ledger.
        lease_until: until when the claimant answers for the post; after that, any tick may
            take it over (retake_post). Required to claim one.
        status: "claimed" to post it, "skipped" to record that it will not be.

    Returns:
        The new row when this call won the insert, None when the row already existed.
    """
    if status == POST_CLAIMED and lease_until is None:
        raise ValueError("a claim needs a lease")
    now = utcnow()
    won = insert_if_absent(
        session=session,
        model=ScheduledPost,
        values={
            "team_id": community.team_id,
            "community_id": community.id,
            "kind": kind,
            "period": period,
            "status": status,
            "attempts": 1 if status == POST_CLAIMED else 0,
            "claimed_by": claimed_by[:200],
            "scheduled_for": scheduled_for,
            "claimed_at": now,
            "lease_until": lease_until,
            "updated_at": now,
        },
    )
    session.commit()
    if not won:
        return None
    assert community.id is not None
    return get_post(session=session, community_id=community.id, kind=kind, period=period)


def renew_claim(
    *, session: Session, post: ScheduledPost, lease_until: datetime, channel_id: str
) -> bool:
    """Keep the claim on `post` until `lease_until`, if this attempt still holds it, and note
    the channel it is about to be posted in (where a later attempt looks for it).

    A claimant whose lease ran out while it drafted may have been taken over (retake_post
    counts one more attempt): then this is False and the post is the new claimant's to make.

    Args:
        session: the open session (committed here).
        post: the ledger row as this attempt claimed it.
        lease_until: the new end of its lease.
        channel_id: where it is about to be posted.
    """
    result = session.execute(
        update(ScheduledPost)
        .where(
            col(ScheduledPost.id) == post.id,
            col(ScheduledPost.status) == POST_CLAIMED,
            col(ScheduledPost.attempts) == post.attempts,
            col(ScheduledPost.claimed_by) == post.claimed_by,
        )
        .values(lease_until=lease_until, channel_id=channel_id)
    )
    session.commit()
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    # what the row now holds, without making the instance dirty (nothing is left to write)
    set_committed_value(post, "lease_until", lease_until)
    set_committed_value(post, "channel_id", channel_id)
    return True


def mark_posted(
    *,
    session: Session,
    post: ScheduledPost,
    channel_id: str,
    message_ts: str,
    prompt_id: int | None = None,
    when: datetime | None = None,
) -> ScheduledPost:
    """Record a successful post.

    Args:
        session: the open session (committed here).
        post: the ledger row this process claimed.
        channel_id: where it went.
        message_ts: its ts.
        prompt_id: for prompts, which one.
        when: when it was posted (the tick's time).
    """
    now = when or utcnow()
    post.status, post.channel_id, post.message_ts = POST_POSTED, channel_id, message_ts
    post.prompt_id, post.posted_at, post.updated_at = prompt_id, now, now
    post.error, post.next_attempt_at = None, None
    session.add(post)
    session.commit()
    return post


def mark_failed(
    *, session: Session, post: ScheduledPost, error: str, retry_at: datetime | None
) -> ScheduledPost:
    """Record a failed attempt; `retry_at` None means it will not be tried again.

    Args:
        session: the open session (committed here).
        post: the ledger row this process claimed.
        error: what went wrong, for operators.
        retry_at: when another attempt may be claimed.
    """
    post.status, post.error = POST_FAILED, error[:2000]
    post.next_attempt_at, post.updated_at = retry_at, utcnow()
    session.add(post)
    session.commit()
    return post


def mark_skipped(*, session: Session, post: ScheduledPost, reason: str) -> ScheduledPost:
    """Record that a claimed post was deliberately not made (e.g. an empty prompt bank)."""
    post.status, post.error, post.updated_at = POST_SKIPPED, reason[:2000], utcnow()
    session.add(post)
    session.commit()
    return post


def mark_deferred(
    *, session: Session, post: ScheduledPost, error: str, retry_at: datetime
) -> ScheduledPost:
    """Record that Slack refused this attempt for now (rate limited): it does not count.

    Args:
        session: the open session (committed here).
        post: the ledger row this process claimed.
        error: why, for operators.
        retry_at: when to try again (Slack's Retry-After).
    """
    post.attempts = max(0, post.attempts - 1)
    return mark_failed(session=session, post=post, error=error, retry_at=retry_at)


def _due_again(now: datetime, max_attempts: int) -> ColumnElement[bool]:
    """A failed post whose retry time has come, or a claim whose lease ran out (abandoned)."""
    return or_(
        and_(
            col(ScheduledPost.status) == POST_FAILED,
            col(ScheduledPost.next_attempt_at).is_not(None),
            col(ScheduledPost.next_attempt_at) <= now,
            col(ScheduledPost.attempts) < max_attempts,
        ),
        and_(
            col(ScheduledPost.status) == POST_CLAIMED,
            or_(col(ScheduledPost.lease_until).is_(None), col(ScheduledPost.lease_until) < now),
        ),
    )


def retake_post(
    *,
    session: Session,
    post_id: int,
    now: datetime,
    claimed_by: str,
    max_attempts: int,
    lease_until: datetime,
) -> ScheduledPost | None:
    """Atomically take a post that is due again (see `_due_again`); None if someone else did.

    A taken-over claim may have been posted before its claimant died: the caller looks in
    the channel before posting again. `claimed_at` stays the first claim's time.

    Args:
        session: the open session (committed here).
        post_id: the ledger row.
        now: the current time.
        claimed_by: who takes it.
        max_attempts: attempts allowed for failed posts (an abandoned claim is always taken,
            so that it is settled either way).
        lease_until: the new claim's lease.
    """
    result = session.execute(
        update(ScheduledPost)
        .where(col(ScheduledPost.id) == post_id, _due_again(now, max_attempts))
        .values(
            status=POST_CLAIMED,
            attempts=ScheduledPost.attempts + 1,
            claimed_by=claimed_by[:200],
            lease_until=lease_until,
            next_attempt_at=None,
            updated_at=now,
        )
    )
    session.commit()
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return session.get(ScheduledPost, post_id)


def due_again(*, session: Session, now: datetime, max_attempts: int) -> list[int]:
    """Ids of posts to take again: failed ones whose retry is due, and abandoned claims."""
    query = select(ScheduledPost.id).where(_due_again(now, max_attempts))
    return [i for i in session.exec(query.order_by(col(ScheduledPost.id))) if i is not None]


def last_post(*, session: Session, community_id: int, kind: str) -> ScheduledPost | None:
    """The most recent successful post of a kind."""
    query = (
        select(ScheduledPost)
        .where(
            ScheduledPost.community_id == community_id,
            ScheduledPost.kind == kind,
            ScheduledPost.status == POST_POSTED,
        )
        .order_by(col(ScheduledPost.posted_at).desc())
    )
    return session.exec(query).first()


def pause_community(*, session: Session, community: Community, reason: str) -> bool:
    """Pause a community (its scheduled posts stop); True only for the call that paused it.

    The update is conditional, so when several processes hit the same dead channel, exactly
    one of them learns it paused the community (and tells its facilitators).

    Args:
        session: the open session (committed here).
        community: the community.
        reason: shown by /cop info and told to facilitators.
    """
    now = utcnow()
    result = session.execute(
        update(Community)
        .where(col(Community.id) == community.id, col(Community.paused).is_(False))
        .values(paused=True, paused_reason=reason[:500], paused_at=now)
    )
    session.commit()
    paused = bool(result.rowcount)  # type: ignore[attr-defined]
    if paused:
        community.paused, community.paused_reason, community.paused_at = True, reason[:500], now
    return paused


def resume_community(*, session: Session, community: Community) -> bool:
    """Un-pause a community; False if it was not paused."""
    if not community.paused:
        return False
    community.paused, community.paused_reason, community.paused_at = False, None, None
    session.add(community)
    session.commit()
    return True
