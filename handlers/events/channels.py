"""Channel archived or deleted, or copbot removed from it: the community pauses, once."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from scheduler.notify import tell_facilitators_paused
from storage import communities, db, schedule

REASONS = {
    "channel_archive": "its channel was archived",
    "group_archive": "its channel was archived",
    "channel_deleted": "its channel was deleted",
    "group_deleted": "its channel was deleted",
}
REMOVED = "copbot was removed from its channel"


def pause_for_channel(
    client: WebClient, context: BoltContext, channel_id: str, reason: str, logger: Logger
) -> None:
    """Pause the community of `channel_id` and tell its facilitators, unless already paused."""
    with db.session() as session:
        community = communities.community_for_channel(
            session=session, team_id=context.team_id or "", channel_id=channel_id
        )
        if community is None:
            return
        if schedule.pause_community(session=session, community=community, reason=reason):
            logger.info("community %s paused: %s", community.id, reason)
            tell_facilitators_paused(client, session, community=community, reason=reason)


def channel_gone(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """channel_archive / channel_deleted (and the private-channel group_* twins)."""
    channel = event.get("channel")
    channel_id = channel.get("id", "") if isinstance(channel, dict) else str(channel or "")
    pause_for_channel(client, context, channel_id, REASONS.get(event.get("type", ""), ""), logger)
