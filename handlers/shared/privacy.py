"""Who may see private knowledge: the people Slack says are in its channel, and nobody else."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol, TypeVar

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


class Placed(Protocol):
    """Something said in a channel: a snippet, a question."""

    @property
    def team_id(self) -> str: ...

    @property
    def channel_id(self) -> str: ...

    @property
    def is_private(self) -> bool: ...


P = TypeVar("P", bound=Placed)


def visible_to(
    client: WebClient, session: Session, *, team_id: str, user_id: str, items: Sequence[P]
) -> list[P]:
    """`items` without those of private channels `user_id` is not in (Slack asked only when
    there are any)."""
    if not any(item.is_private for item in items):
        return list(items)
    visible = set(visible_private_channels(client, session, team_id=team_id, user_id=user_id))
    return [item for item in items if not item.is_private or item.channel_id in visible]


def may_see(client: WebClient, session: Session, *, user_id: str, item: Placed) -> bool:
    """Whether `user_id` may read `item`: public, or in a private channel they are in."""
    return bool(visible_to(client, session, team_id=item.team_id, user_id=user_id, items=[item]))
