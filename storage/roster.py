"""Who is in a community's channel, as Slack reports it: the people who may see its private
knowledge (never copbot's own roles: a facilitator from outside the channel sees nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from storage.clock import utcnow
from storage.models import ChannelMember, CommunityChannel
from storage.upsert import insert_if_absent

ROSTER_TTL = timedelta(hours=1)  # read again from Slack after this, even with no event between


def replace_roster(
    *, session: Session, team_id: str, channel_id: str, user_ids: Iterable[str]
) -> None:
    """Keep exactly `user_ids` as the channel's members, as Slack just reported them.

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        channel_id: the community channel.
        user_ids: conversations.members' answer, every page.
    """
    session.execute(
        delete(ChannelMember).where(
            col(ChannelMember.team_id) == team_id, col(ChannelMember.channel_id) == channel_id
        )
    )
    for user_id in dict.fromkeys(user_ids):
        session.add(ChannelMember(team_id=team_id, channel_id=channel_id, user_id=user_id))
    session.execute(
        update(CommunityChannel)
        .where(
            col(CommunityChannel.team_id) == team_id, col(CommunityChannel.channel_id) == channel_id
        )
        .values(members_synced_at=utcnow())
    )
    session.commit()


def joined(*, session: Session, team_id: str, channel_id: str, user_id: str) -> None:
    """Someone joined the channel (member_joined_channel)."""
    insert_if_absent(
        session=session,
        model=ChannelMember,
        values={"team_id": team_id, "channel_id": channel_id, "user_id": user_id},
    )
    session.commit()


def left(*, session: Session, team_id: str, channel_id: str, user_id: str) -> None:
    """Someone left the channel or was removed from it (member_left_channel)."""
    session.execute(
        delete(ChannelMember).where(
            col(ChannelMember.team_id) == team_id,
            col(ChannelMember.channel_id) == channel_id,
            col(ChannelMember.user_id) == user_id,
        )
    )
    session.commit()


def stale_private_channels(
    *, session: Session, team_id: str, now: datetime | None = None
) -> list[str]:
    """Private community channels whose members were never read, or not for ROSTER_TTL.

    Args:
        session: the open session.
        team_id: the workspace.
        now: the current time, for tests.
    """
    cutoff = (now or utcnow()) - ROSTER_TTL
    query = select(CommunityChannel.channel_id).where(
        CommunityChannel.team_id == team_id,
        col(CommunityChannel.is_private).is_(True),
        (col(CommunityChannel.members_synced_at).is_(None))
        | (col(CommunityChannel.members_synced_at) < cutoff),
    )
    return list(dict.fromkeys(session.exec(query)))


def private_channels_of(*, session: Session, team_id: str, user_id: str) -> list[str]:
    """The private community channels `user_id` is in, as last read from Slack."""
    query = (
        select(CommunityChannel.channel_id)
        .join(
            ChannelMember,
            (col(ChannelMember.team_id) == col(CommunityChannel.team_id))
            & (col(ChannelMember.channel_id) == col(CommunityChannel.channel_id)),
        )
        .where(
            CommunityChannel.team_id == team_id,
            col(CommunityChannel.is_private).is_(True),
            ChannelMember.user_id == user_id,
        )
    )
    return list(dict.fromkeys(session.exec(query)))
