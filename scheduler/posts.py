"""The one path of a scheduled post: claim it in the ledger, post it, record what happened.

The tick, `/cop digest post` and `/cop prompt now` all post through here, so a post is made
only by whoever inserted its ScheduledPost row, and every outcome (posted, skipped, failed
with a retry time, community paused) is recorded the same way whoever asked for it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from scheduler.clients import ClientFor
from scheduler.kinds import PostKind, kind_named
from scheduler.pause import pause_and_tell, pauses
from storage import communities, schedule
from storage.models import Community, ScheduledPost
from storage.models.schedule import POST_SKIPPED

log = logging.getLogger("copbot.scheduler")

MAX_ATTEMPTS = 3
RETRY_AFTER = (timedelta(minutes=2), timedelta(minutes=10))

POSTED = "posted"
SKIPPED = "skipped"
FAILED = "failed"
PAUSED = "paused"
TAKEN = "taken"  # someone else holds the claim: nothing was done here


@dataclass(frozen=True)
class Attempt:
    """What one claim-and-post did."""

    outcome: str
    detail: str = ""
    channel_id: str = ""
    message_ts: str = ""
    will_retry: bool = False


def claim_and_post(
    client: WebClient,
    session: Session,
    *,
    community: Community,
    kind: PostKind,
    period: str,
    scheduled_for: datetime,
    now: datetime,
    claimed_by: str,
) -> Attempt:
    """Post `kind` for `period` unless its ledger row exists already (then TAKEN).

    Args:
        client: the community's workspace client.
        session: the open session.
        community: where the post goes (its home channel).
        kind: what is posted.
        period: the ledger period, e.g. "2026-W48".
        scheduled_for: when it was due.
        now: the moment it is posted at (the tick's time).
        claimed_by: who claims it, for the ledger.
    """
    post = schedule.claim_post(
        session=session,
        community=community,
        kind=kind.name,
        period=period,
        scheduled_for=scheduled_for,
        claimed_by=claimed_by,
    )
    if post is None:
        return Attempt(TAKEN)
    return _attempt(client, session, community, kind, post, now)


def record_skipped(
    session: Session,
    *,
    community: Community,
    kind: PostKind,
    period: str,
    scheduled_for: datetime,
    claimed_by: str,
) -> bool:
    """Record that a post too late to make will not be made; False if its row existed."""
    return (
        schedule.claim_post(
            session=session,
            community=community,
            kind=kind.name,
            period=period,
            scheduled_for=scheduled_for,
            claimed_by=claimed_by,
            status=POST_SKIPPED,
        )
        is not None
    )


def retry_post(
    client_for: ClientFor, session: Session, *, post_id: int, now: datetime, claimed_by: str
) -> Attempt:
    """Try a failed post again if this call wins its retry (else TAKEN)."""
    post = schedule.claim_retry(
        session=session, post_id=post_id, now=now, claimed_by=claimed_by, max_attempts=MAX_ATTEMPTS
    )
    if post is None:
        return Attempt(TAKEN)
    community = session.get(Community, post.community_id)
    kind = kind_named(post.kind)
    if community is None or community.paused or kind is None:
        why = "community paused" if kind is not None else f"copbot no longer posts {post.kind}"
        schedule.mark_failed(session=session, post=post, error=why, retry_at=None)
        return Attempt(FAILED, why)
    return _attempt(client_for(community.team_id), session, community, kind, post, now)


def _attempt(
    client: WebClient,
    session: Session,
    community: Community,
    kind: PostKind,
    post: ScheduledPost,
    now: datetime,
) -> Attempt:
    try:
        draft = kind.draft_for(client, session, community=community, now=now)
        if draft.message is None:
            schedule.mark_skipped(session=session, post=post, reason=draft.skipped)
            return Attempt(SKIPPED, draft.skipped)
        home = communities.home_channel(session=session, community_id=community.id or 0)
        if home is None:  # its last channel was unbound: as good as gone
            return _pause(client, session, community, post, "channel_not_found")
        answer = client.chat_postMessage(
            channel=home.channel_id, unfurl_links=False, **draft.message.as_kwargs()
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc)
        if pauses(error):
            return _pause(client, session, community, post, error)
        return _failed(session, post, f"Slack: {error}", now)
    except (SlackClientError, OSError) as exc:  # Slack unreachable after the client's retries
        return _failed(session, post, f"connection: {exc}", now)
    except Exception as exc:  # our bug: logged in full, the other communities go on
        log.exception("scheduled %s post failed for community %s", post.kind, community.id)
        return _failed(session, post, f"error: {type(exc).__name__}: {exc}", now)
    ts = str(answer["ts"])
    schedule.mark_posted(
        session=session,
        post=post,
        channel_id=home.channel_id,
        message_ts=ts,
        prompt_id=draft.prompt_id,
        when=now,
    )
    kind.posted(session, draft, now)
    return Attempt(POSTED, channel_id=home.channel_id, message_ts=ts)


def _pause(
    client: WebClient, session: Session, community: Community, post: ScheduledPost, cause: str
) -> Attempt:
    schedule.mark_failed(session=session, post=post, error=cause, retry_at=None)
    pause_and_tell(client, session, community=community, cause=cause)
    return Attempt(PAUSED, cause)


def _failed(session: Session, post: ScheduledPost, error: str, now: datetime) -> Attempt:
    wait = RETRY_AFTER[min(post.attempts, len(RETRY_AFTER)) - 1]
    retry_at = now + wait if post.attempts < MAX_ATTEMPTS else None
    log.warning("%s post %s failed (attempt %s): %s", post.kind, post.period, post.attempts, error)
    schedule.mark_failed(session=session, post=post, error=error, retry_at=retry_at)
    return Attempt(FAILED, error, will_retry=retry_at is not None)
