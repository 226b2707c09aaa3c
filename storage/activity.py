"""Where a person last took part: the community the Share knowledge form starts on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage.communities import communities_of_user
from storage.models import (
    ChannelMessage,
    Community,
    CommunityChannel,
    Endorsement,
    Kudos,
    Member,
    Snippet,
)


def last_taken_part(*, session: Session, team_id: str, user_id: str) -> dict[int, datetime]:
    """When `user_id` last took part in each community, by community id.

    Taking part is what copbot stores a time for: writing or saving a snippet (its capture),
    reacting to one with a knowledge emoji, giving or receiving kudos, and posting in one of
    the community's channels (while the message cache holds the post: 30 days by default).

    Args:
        session: the open session.
        team_id: the workspace.
        user_id: the person.
    """
    moments = (
        select(Snippet.community_id, func.max(Snippet.created_at))
        .where(
            Snippet.team_id == team_id,
            or_(col(Snippet.author_id) == user_id, col(Snippet.curator_id) == user_id),
        )
        .group_by(col(Snippet.community_id)),
        select(Snippet.community_id, func.max(Endorsement.created_at))
        .join(Snippet, col(Snippet.id) == col(Endorsement.snippet_id))
        .where(Endorsement.team_id == team_id, Endorsement.user_id == user_id)
        .group_by(col(Snippet.community_id)),
        select(Kudos.community_id, func.max(Kudos.created_at))
        .where(
            Kudos.team_id == team_id,
            or_(col(Kudos.giver_id) == user_id, col(Kudos.receiver_id) == user_id),
        )
        .group_by(col(Kudos.community_id)),
        select(CommunityChannel.community_id, func.max(ChannelMessage.posted_at))
        .join(
            CommunityChannel,
            (col(CommunityChannel.team_id) == col(ChannelMessage.team_id))
            & (col(CommunityChannel.channel_id) == col(ChannelMessage.channel_id)),
        )
        .where(ChannelMessage.team_id == team_id, ChannelMessage.user_id == user_id)
        .group_by(col(CommunityChannel.community_id)),
    )
    latest: dict[int, datetime] = {}
    for query in moments:
        for community_id, moment in session.exec(query):
            if moment is not None and (community_id not in latest or moment > latest[community_id]):
                latest[community_id] = moment
    return latest


def most_recent_community(*, session: Session, team_id: str, user_id: str) -> Community | None:
    """The community of theirs `user_id` most recently took part in (`last_taken_part`).

    Of communities they have not taken part in, the one they joined last; their only one when
    they have one; None when they belong to none.

    Args:
        session: the open session.
        team_id: the workspace.
        user_id: the person.
    """
    mine = communities_of_user(session=session, team_id=team_id, user_id=user_id)
    if len(mine) <= 1:
        return mine[0] if mine else None
    taken_part = last_taken_part(session=session, team_id=team_id, user_id=user_id)
    joined = dict(
        session.exec(
            select(Member.community_id, Member.joined_at).where(
                Member.team_id == team_id, Member.user_id == user_id
            )
        ).all()
    )

    def recency(community: Community) -> tuple[bool, datetime, datetime, int]:
        assert community.id is not None
        part = taken_part.get(community.id)
        joined_at = joined[community.id]
        return (part is not None, part or joined_at, joined_at, community.id)

    return max(mine, key=recency)
