"""Where a message may be saved, and the Share form: asked of Slack's facts every time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.knowledge import (
    no_community_modal,
    share_modal,
)
from bot.errors import CopError
from bot.lookups import (
    channel_facts,
    channel_member_ids,
)
from storage import activity, communities
from storage.models import Community

NO_COMMUNITY = (
    "You aren't in any community yet. Join one with `/cop join` in its channel, or start one "
    "with `/cop create &lt;name&gt;` in a channel."
)


IN_A_DM = (
    "copbot keeps what a community shares in its channels. A direct message stays between "
    "the people in it, so it can't be saved as knowledge."
)
PRIVATE_ELSEWHERE = (
    "This message is in a private channel that isn't a community, so it can only be kept by a "
    "community that lives in this channel. Start one here with `/cop create &lt;name&gt;`."
)
NOT_A_MEMBER = "Only people in this private channel can keep what is said in it."


@dataclass(frozen=True)
class SaveTarget:
    """Where a message may be saved: its channel's own community, or one the person picks."""

    home: Community | None
    choices: list[Community]


def save_target(
    client: WebClient, session: Session, *, team_id: str, user_id: str, channel_id: str
) -> SaveTarget:
    """Where `user_id` may save a message of `channel_id`, from Slack's facts about it.

    Asked when the shortcut opens its form and again, from scratch, when the form comes back:
    nothing the form carries is trusted.

    Raises:
        CopError: a DM or group DM; a private channel that is no community, or that the
            person is not in; a channel copbot cannot see; no community to save to.
    """
    if channel_id.startswith("D"):
        raise CopError(IN_A_DM)
    facts = channel_facts(client, channel_id)
    if facts.is_im:
        raise CopError(IN_A_DM)
    home = communities.community_for_channel(
        session=session, team_id=team_id, channel_id=channel_id
    )
    if facts.is_private:
        if home is None:
            raise CopError(PRIVATE_ELSEWHERE)
        if user_id not in channel_member_ids(client, channel_id):
            raise CopError(NOT_A_MEMBER)
    if home is not None:
        return SaveTarget(home=home, choices=[])
    mine = communities.communities_of_user(session=session, team_id=team_id, user_id=user_id)
    if not mine:
        raise CopError(NO_COMMUNITY)
    return SaveTarget(home=None, choices=mine)


def share_form(session: Session, *, team_id: str, user_id: str) -> dict[str, Any]:
    """The "Share knowledge" modal with the person's communities (or why there is none),
    starting on the one they most recently took part in (storage/activity.py)."""
    mine = communities.communities_of_user(session=session, team_id=team_id, user_id=user_id)
    if not mine:
        return no_community_modal(NO_COMMUNITY)
    recent = activity.most_recent_community(session=session, team_id=team_id, user_id=user_id)
    return share_modal(
        communities=[(c.id or 0, c.name) for c in mine], initial=recent.id if recent else None
    )
