"""Telling facilitators, once, that their community was paused."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.mrkdwn import escape
from storage import communities, users
from storage.models import Community

log = logging.getLogger("copbot.scheduler")


def tell_facilitators_paused(
    client: WebClient, session: Session, *, community: Community, reason: str
) -> None:
    """A DM to each facilitator (muted ones excepted) saying why and how to resume."""
    assert community.id is not None
    text = (
        f":double_vertical_bar: copbot paused *{escape(community.name)}*: {escape(reason)}. "
        "Its weekly prompt, digest and kudos summary stop until it is fixed. Invite copbot back "
        "(or unarchive the channel), then run `/cop resume` there."
    )
    for user_id in communities.facilitator_ids(session=session, community_id=community.id):
        if users.is_muted(session=session, team_id=community.team_id, user_id=user_id):
            continue
        try:
            client.chat_postMessage(channel=user_id, text=text)
        except SlackApiError as exc:
            log.warning("could not tell %s about the pause: %s", user_id, exc.response.get("error"))
