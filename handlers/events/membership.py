"""Channel joins and leaves keep community membership in step."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlmodel import Session

from bot.lookups import channel_member_ids, user_profile, workspace_of
from bot.private import tell
from handlers.events.channels import pause_for_channel
from handlers.shared.communities import welcome_message
from storage import communities, db, roster, users
from storage.models import Community


def _community_of(
    session: Session, event: dict[str, Any], context: BoltContext
) -> tuple[Community, str] | None:
    """The community of the event's channel and the person concerned (never copbot itself)."""
    user_id = event.get("user", "")
    if not user_id or user_id == context.bot_user_id:
        return None
    community = communities.community_for_channel(
        session=session,
        team_id=workspace_of(context),
        channel_id=event.get("channel", ""),
    )
    return (community, user_id) if community is not None else None


def member_joined_channel(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """Someone joined a community channel: they become a member and are welcomed (not bots)."""
    with db.session() as session:
        found = _community_of(session, event, context)
        if found is None:
            return
        community, user_id = found
        channel_id = event.get("channel", "")
        roster.joined(
            session=session, team_id=community.team_id, channel_id=channel_id, user_id=user_id
        )
        profile = user_profile(client, session, team_id=community.team_id, user_id=user_id)
        if profile is None or profile.is_bot:
            return
        if not communities.join_community(session=session, community=community, user_id=user_id):
            return  # a member already (or this event handled before): welcomed then
        logger.info("%s joined community %s", user_id, community.id)
        if not users.is_muted(session=session, team_id=community.team_id, user_id=user_id):
            welcome = welcome_message(client, session, community, event.get("channel", ""))
            tell(
                client,
                channel_id=event.get("channel", ""),
                user_id=user_id,
                text=welcome.text,
                blocks=welcome.blocks,
            )


def member_left_channel(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """Someone left a community channel: their membership ends (copbot itself: a pause)."""
    if event.get("user") and event.get("user") == context.bot_user_id:
        pause_for_channel(client, context, event.get("channel", ""), "bot_left_channel")
        return
    with db.session() as session:
        found = _community_of(session, event, context)
        if found is None:
            return
        community, user_id = found
        channel_id = event.get("channel", "")
        roster.left(
            session=session, team_id=community.team_id, channel_id=channel_id, user_id=user_id
        )
        others = [
            c.channel_id
            for c in communities.channels_of(session=session, community_id=community.id or 0)
            if c.channel_id != channel_id
        ]
        if any(user_id in channel_member_ids(client, other) for other in others):
            return  # still in another of the community's channels: still a member
        if communities.leave_community(session=session, community=community, user_id=user_id):
            logger.info("%s left community %s", user_id, community.id)
