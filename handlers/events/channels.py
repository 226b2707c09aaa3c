"""Channel archived or deleted, or copbot removed from it: a community that lives in other
channels too carries on without it; one that loses its only channel pauses, once."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.mrkdwn import channel
from handlers.shared.notify import tell_privately
from scheduler.pause import REASONS, pause_and_tell
from storage import communities, db
from storage.markup import to_mrkdwn


def pause_for_channel(client: WebClient, context: BoltContext, channel_id: str, cause: str) -> None:
    """The community of `channel_id` loses it for Slack's `cause`: it carries on in its other
    channels (its facilitators are told), or pauses when it had no other
    (scheduler/pause.py tells)."""
    with db.session() as session:
        community = communities.community_for_channel(
            session=session, team_id=context.team_id or "", channel_id=channel_id
        )
        if community is None:
            return
        try:
            communities.unbind_channel(session=session, community=community, channel_id=channel_id)
        except communities.LastChannel:
            pause_and_tell(client, session, community=community, cause=cause)
            return
        home = communities.home_channel(session=session, community_id=community.id or 0)
        text = (
            f":information_source: *{to_mrkdwn(community.name)}* no longer lives in "
            f"{channel(channel_id)}: {REASONS.get(cause, cause).replace('its channel', 'it')}. "
            f"It carries on in its other channels; weekly posts go to "
            f"{channel(home.channel_id) if home else 'its home channel'}."
        )
        for user_id in communities.facilitator_ids(session=session, community_id=community.id or 0):
            tell_privately(client, session, team_id=community.team_id, user_id=user_id, text=text)


def channel_gone(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """channel_archive / channel_deleted (and the private-channel group_* twins)."""
    channel = event.get("channel")
    channel_id = channel.get("id", "") if isinstance(channel, dict) else str(channel or "")
    pause_for_channel(client, context, channel_id, event.get("type", ""))
