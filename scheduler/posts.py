"""The one path of a scheduled post: claim it in the ledger, post it, record what happened.

The tick, `/cop digest post` and `/cop prompt now` all post through here, so a post is made
only by whoever holds its ScheduledPost row, and every outcome (posted, skipped, failed with a
retry time, deferred by a rate limit, community paused) is recorded the same way whoever
asked for it.

Exactly once in effect: a claim carries a lease, and a claim whose lease ran out (its process
died) is taken over by any later tick. Every post carries Slack message metadata naming its
community, kind and period; before posting again after an outcome it cannot know (a timeout,
a lost answer, a 5xx, a crash), the taker looks for that message in the channel and records
it instead of posting twice. No database connection is held while Slack answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from bot.lookups import find_own_post
from bot.slack_client import retry_after
from scheduler.clients import ClientFor
from scheduler.jobs import Draft
from scheduler.kinds import PostKind, kind_named
from scheduler.pause import pause_and_tell, pauses
from storage import communities, schedule
from storage.clock import utcnow
from storage.models import Community, ScheduledPost
from storage.models.schedule import POST_SKIPPED

log = logging.getLogger("copbot.scheduler")

MAX_ATTEMPTS = 5
RETRY_AFTER = (
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
)
# How long a claimant answers for its post: renewed once it is drafted, just before the
# post, so that it need only outlast the post call (bounded by the client's timeout and its
# longest rate-limit wait); a claimant that drafted for longer checks it still holds it.
LEASE = timedelta(minutes=10)
# A rate-limited post is tried again after Slack's Retry-After, but not sooner than this.
SHORTEST_DEFERRAL = timedelta(minutes=1)
METADATA_EVENT = "copbot_scheduled_post"
# Where to look for a post that may exist: from a little before the first claim (clocks
# differ).
LOOK_BACK = timedelta(minutes=5)

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
        lease_until=now + LEASE,
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
    """Take a post that is due again (failed, or abandoned by a dead claimant) if this call
    wins it (else TAKEN), and settle it: found in the channel, posted, or given up."""
    post = schedule.retake_post(
        session=session,
        post_id=post_id,
        now=now,
        claimed_by=claimed_by,
        max_attempts=MAX_ATTEMPTS,
        lease_until=now + LEASE,
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


def metadata_of(post: ScheduledPost, draft: Draft) -> dict[str, Any]:
    """The message metadata a scheduled post carries: how a later tick recognises it."""
    payload = {"community": post.community_id, "kind": post.kind, "period": post.period}
    if draft.prompt_id is not None:
        payload["prompt"] = draft.prompt_id
    return {"event_type": METADATA_EVENT, "event_payload": payload}


def find_post(client: WebClient, channel_id: str, post: ScheduledPost) -> dict[str, Any] | None:
    """The message of `post` in the channel, if an earlier attempt made it."""
    return find_own_post(
        client,
        channel_id,
        since=post.claimed_at - LOOK_BACK,
        event_type=METADATA_EVENT,
        payload={"community": post.community_id, "kind": post.kind, "period": post.period},
    )


def _attempt(
    client: WebClient,
    session: Session,
    community: Community,
    kind: PostKind,
    post: ScheduledPost,
    now: datetime,
) -> Attempt:
    started = utcnow()
    try:
        home = communities.home_channel(session=session, community_id=community.id or 0)
        if home is None:  # its last channel was unbound: as good as gone
            return _pause(client, session, community, post, "channel_not_found")
        session.commit()  # no connection is held while Slack answers
        if post.attempts > 1:  # an earlier attempt may have been made: look before posting
            # where it was about to go then (the community may have moved since), and here
            for channel_id in dict.fromkeys(c for c in (post.channel_id, home.channel_id) if c):
                try:
                    found = find_post(client, channel_id, post)
                except SlackApiError:
                    if channel_id == home.channel_id:
                        raise
                    continue  # a channel the community left: it cannot be there for us
                if found is None:
                    continue
                payload = (found.get("metadata") or {}).get("event_payload") or {}
                prompt = payload.get("prompt")
                draft = Draft(prompt_id=prompt if isinstance(prompt, int) else None)
                log.info("%s post %s was made already: recorded", post.kind, post.period)
                return _posted(session, kind, post, draft, channel_id, str(found["ts"]), now)
            if post.attempts > MAX_ATTEMPTS:  # an abandoned last attempt, not made
                return _given_up(session, post)
        draft = kind.draft_for(client, session, community=community, now=now)
        if draft.message is None:
            schedule.mark_skipped(session=session, post=post, reason=draft.skipped)
            return Attempt(SKIPPED, draft.skipped)
        session.commit()
        # drafting waited on Slack too: a claim whose lease ran out meanwhile may be another
        # tick's now, and only one of them may post (the tick's clock, moved on by what passed)
        if not schedule.renew_claim(
            session=session,
            post=post,
            lease_until=now + (utcnow() - started) + LEASE,
            channel_id=home.channel_id,
        ):
            log.warning(
                "%s post %s was taken over while drafted: not posted here", post.kind, post.period
            )
            return Attempt(TAKEN)
        answer = client.chat_postMessage(
            channel=home.channel_id,
            unfurl_links=False,
            metadata=metadata_of(post, draft),
            **draft.message.as_kwargs(),
        )
    except SlackApiError as exc:
        if exc.response.status_code == 429:
            return _deferred(session, post, retry_after(exc.response.headers, default=60.0), now)
        error = str(exc.response.get("error") or exc)
        if pauses(error):
            return _pause(client, session, community, post, error)
        return _failed(session, post, f"Slack: {error}", now)
    except (SlackClientError, OSError) as exc:  # no answer: Slack may or may not have it
        return _failed(session, post, f"connection: {type(exc).__name__}: {exc}", now)
    except Exception as exc:  # our bug: logged in full, the other communities go on
        log.exception("scheduled %s post failed for community %s", post.kind, community.id)
        return _failed(session, post, f"error: {type(exc).__name__}: {exc}", now)
    return _posted(session, kind, post, draft, home.channel_id, str(answer["ts"]), now)


def _posted(
    session: Session,
    kind: PostKind,
    post: ScheduledPost,
    draft: Draft,
    channel_id: str,
    ts: str,
    now: datetime,
) -> Attempt:
    schedule.mark_posted(
        session=session,
        post=post,
        channel_id=channel_id,
        message_ts=ts,
        prompt_id=draft.prompt_id,
        when=now,
    )
    kind.posted(session, draft, now)
    return Attempt(POSTED, channel_id=channel_id, message_ts=ts)


def _pause(
    client: WebClient, session: Session, community: Community, post: ScheduledPost, cause: str
) -> Attempt:
    schedule.mark_failed(session=session, post=post, error=cause, retry_at=None)
    pause_and_tell(client, session, community=community, cause=cause)
    return Attempt(PAUSED, cause)


def _given_up(session: Session, post: ScheduledPost) -> Attempt:
    error = f"not made after {MAX_ATTEMPTS} attempts"
    log.warning("%s post %s: %s", post.kind, post.period, error)
    schedule.mark_failed(session=session, post=post, error=error, retry_at=None)
    return Attempt(FAILED, error)


def _deferred(session: Session, post: ScheduledPost, seconds: float, now: datetime) -> Attempt:
    """Slack asked to wait longer than a call waits: try again then, without losing a turn."""
    retry_at = now + max(SHORTEST_DEFERRAL, timedelta(seconds=seconds))
    error = f"Slack: ratelimited (Retry-After {seconds:g} s)"
    log.warning("%s post %s deferred to %s: %s", post.kind, post.period, retry_at, error)
    schedule.mark_deferred(session=session, post=post, error=error, retry_at=retry_at)
    return Attempt(FAILED, error, will_retry=True)


def _failed(session: Session, post: ScheduledPost, error: str, now: datetime) -> Attempt:
    wait = RETRY_AFTER[min(post.attempts, len(RETRY_AFTER)) - 1]
    retry_at = now + wait if post.attempts < MAX_ATTEMPTS else None
    log.warning("%s post %s failed (attempt %s): %s", post.kind, post.period, post.attempts, error)
    schedule.mark_failed(session=session, post=post, error=error, retry_at=retry_at)
    return Attempt(FAILED, error, will_retry=retry_at is not None)
