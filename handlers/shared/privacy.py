"""Who may see private knowledge: the people Slack says are in its channel, and nobody else."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.lookups import channel_member_ids
from storage import roster

log = logging.getLogger("copbot.privacy")


def visible_private_channels(
    client: WebClient, session: Session, *, team_id: str, user_id: str
) -> list[str]:
    """The private community channels whose knowledge `user_id` may see: those Slack lists
    them in (read again when older than roster.ROSTER_TTL)."""
    for channel_id in roster.stale_private_channels(session=session, team_id=team_id):
        try:
            members = channel_member_ids(client, channel_id)
        except SlackApiError as exc:  # copbot is out of the channel: nobody can be shown it
            log.info("cannot list the members of %s: %s", channel_id, exc.response.get("error"))
            members = []
        roster.replace_roster(
            session=session, team_id=team_id, channel_id=channel_id, user_ids=members
        )
    return roster.private_channels_of(session=session, team_id=team_id, user_id=user_id)
