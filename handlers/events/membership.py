"""Channel joins and leaves keep community membership in step."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlmodel import Session

from bot.lookups import user_profile
from handlers.events.channels import REMOVED, pause_for_channel
from storage import communities, db
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
        team_id=event.get("team") or context.team_id or "",
        channel_id=event.get("channel", ""),
    )
    return (community, user_id) if community is not None else None


def member_joined_channel(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """Someone joined a community channel: they become a member (bots do not)."""
    with db.session() as session:
        found = _community_of(session, event, context)
        if found is None:
            return
        community, user_id = found
        profile = user_profile(client, session, team_id=community.team_id, user_id=user_id)
        if profile is None or profile.is_bot:
            return
        if communities.join_community(session=session, community=community, user_id=user_id):
            logger.info("%s joined community %s", user_id, community.id)


def member_left_channel(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """Someone left a community channel: their membership ends (copbot itself: a pause)."""
    if event.get("user") and event.get("user") == context.bot_user_id:
        pause_for_channel(client, context, event.get("channel", ""), REMOVED, logger)
        return
    with db.session() as session:
        found = _community_of(session, event, context)
        if found is None:
            return
        community, user_id = found
        if communities.leave_community(session=session, community=community, user_id=user_id):
            logger.info("%s left community %s", user_id, community.id)
