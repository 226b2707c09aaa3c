"""Channel joins and leaves keep community membership in step."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from handlers.lookups import user_profile
from storage import communities, db


def member_joined_channel(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """Someone joined a community channel: they become a member (bots do not)."""
    team_id = event.get("team") or context.team_id or ""
    user_id = event.get("user", "")
    if not user_id or user_id == context.bot_user_id:
        return
    with db.session() as session:
        community = communities.community_for_channel(
            session=session, team_id=team_id, channel_id=event.get("channel", "")
        )
        if community is None:
            return
        profile = user_profile(client, session, team_id=team_id, user_id=user_id)
        if profile is None or profile.is_bot:
            return
        if communities.join_community(session=session, community=community, user_id=user_id):
            logger.info("%s joined community %s", user_id, community.id)


def member_left_channel(event: dict[str, Any], context: BoltContext, logger: Logger) -> None:
    """Someone left a community channel: their membership ends."""
    team_id = event.get("team") or context.team_id or ""
    user_id = event.get("user", "")
    if not user_id or user_id == context.bot_user_id:
        return
    with db.session() as session:
        community = communities.community_for_channel(
            session=session, team_id=team_id, channel_id=event.get("channel", "")
        )
        if community is None:
            return
        if communities.leave_community(session=session, community=community, user_id=user_id):
            logger.info("%s left community %s", user_id, community.id)
