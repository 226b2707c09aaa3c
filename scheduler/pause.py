"""Pausing a community whose channel is gone, and telling its facilitators: once, one way.

Both the scheduler (Slack refused a post) and the channel events (archived, deleted, copbot
removed) come here. The cause is Slack's own word for what happened, an API error or an
event type; REASONS turns it into what facilitators and `/cop info` read.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.mrkdwn import escape
from storage import communities, schedule, users
from storage.markup import to_mrkdwn
from storage.models import Community

log = logging.getLogger("copbot.scheduler")

ARCHIVED = "its channel was archived"
DELETED = "its channel was deleted"
REMOVED = "copbot was removed from its channel"
# Slack's cause -> the reason people read. Events (archive, delete) and Web API errors alike:
# none of them gets better by retrying, so the community waits for someone to fix it.
REASONS = {
    "channel_archive": ARCHIVED,
    "group_archive": ARCHIVED,
    "is_archived": ARCHIVED,
    "channel_deleted": DELETED,
    "group_deleted": DELETED,
    "channel_not_found": "copbot can no longer find its channel",
    "not_in_channel": REMOVED,
    "bot_left_channel": REMOVED,
}
# The events that announce such a cause (handlers/events registers a listener for each).
PAUSING_EVENTS = ("channel_archive", "group_archive", "channel_deleted", "group_deleted")


def pauses(cause: str) -> bool:
    """Whether Slack's `cause` (an API error or an event type) pauses a community."""
    return cause in REASONS


def pause_and_tell(
    client: WebClient, session: Session, *, community: Community, cause: str
) -> bool:
    """Pause `community` for `cause` and tell its facilitators; False if it was already paused.

    Args:
        client: the workspace's Web API client.
        session: the open session.
        community: the community whose channel is gone.
        cause: a key of REASONS (Slack's error code or event type).
    """
    reason = REASONS.get(cause, cause)
    if not schedule.pause_community(session=session, community=community, reason=reason):
        return False
    log.warning("community %s paused: %s", community.id, reason)
    tell_facilitators(client, session, community=community, reason=reason)
    return True


def tell_facilitators(
    client: WebClient, session: Session, *, community: Community, reason: str
) -> None:
    """A DM to each facilitator (muted ones excepted) saying why and how to resume."""
    assert community.id is not None
    text = (
        f":double_vertical_bar: copbot paused *{to_mrkdwn(community.name)}*: {escape(reason)}. "
        "Its weekly prompt, digest and kudos summary stop until it is fixed. Invite copbot back "
        "(or unarchive the channel), then run `/cop resume` there."
    )
    told = [
        user_id
        for user_id in communities.facilitator_ids(session=session, community_id=community.id)
        if not users.is_muted(session=session, team_id=community.team_id, user_id=user_id)
    ]
    session.commit()  # the reads are done: no connection is held while Slack answers
    for user_id in told:
        try:
            client.chat_postMessage(channel=user_id, text=text)
        except SlackApiError as exc:
            log.warning("could not tell %s about the pause: %s", user_id, exc.response.get("error"))
