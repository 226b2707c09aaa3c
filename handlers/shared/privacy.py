"""Who may see private knowledge: the people Slack says are in its channel, and nobody else."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.lookups import channel_member_ids
from storage import roster
from storage.models import Snippet

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


def visible_to(
    client: WebClient, session: Session, *, team_id: str, user_id: str, snippets: list[Snippet]
) -> list[Snippet]:
    """`snippets` without those of private channels `user_id` is not in (Slack asked only
    when there are any)."""
    if not any(s.is_private for s in snippets):
        return snippets
    visible = set(visible_private_channels(client, session, team_id=team_id, user_id=user_id))
    return [s for s in snippets if not s.is_private or s.channel_id in visible]


def may_see(client: WebClient, session: Session, *, user_id: str, snippet: Snippet) -> bool:
    """Whether `user_id` may read `snippet`: public, or in a private channel they are in."""
    return bool(
        visible_to(client, session, team_id=snippet.team_id, user_id=user_id, snippets=[snippet])
    )


def may_see_channel(
    client: WebClient, session: Session, *, team_id: str, user_id: str, channel_id: str
) -> bool:
    """Whether `user_id` is in the private community channel `channel_id` (as last read)."""
    visible = visible_private_channels(client, session, team_id=team_id, user_id=user_id)
    return channel_id in visible
