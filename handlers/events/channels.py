"""Channel archived or deleted, or copbot removed from it: the community pauses, once."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from scheduler.pause import pause_and_tell
from storage import communities, db


def pause_for_channel(client: WebClient, context: BoltContext, channel_id: str, cause: str) -> None:
    """Pause the community of `channel_id` for Slack's `cause` (scheduler/pause.py tells)."""
    with db.session() as session:
        community = communities.community_for_channel(
            session=session, team_id=context.team_id or "", channel_id=channel_id
        )
        if community is not None:
            pause_and_tell(client, session, community=community, cause=cause)


def channel_gone(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """channel_archive / channel_deleted (and the private-channel group_* twins)."""
    channel = event.get("channel")
    channel_id = channel.get("id", "") if isinstance(channel, dict) else str(channel or "")
    pause_for_channel(client, context, channel_id, event.get("type", ""))
