"""Communities, the channels they live in, and who belongs to them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy
from sqlalchemy import bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.locks import write_lock
from storage.models import (
    ROLE_FACILITATOR,
    ROLE_MEMBER,
    Community,
    CommunityChannel,
    CommunitySchedule,
    Member,
    Snippet,
)
from storage.models.knowledge import STATUS_CONFIRMED
from storage.prompts import seed_default_prompts
from storage.upsert import insert_if_absent


class NameTaken(Exception):
    """Another community in the workspace already has this name."""


class ChannelTaken(Exception):
    """The channel already hosts a community (one community per channel)."""


class LastFacilitator(Exception):
    """The change would leave a community without a facilitator."""


def name_key(name: str) -> str:
    """The form of a name that must be unique in a workspace."""
    return " ".join(name.casefold().split())


def create_community(
    *,
    session: Session,
    team_id: str,
    name: str,
    domain: str,
    channel_id: str,
    channel_name: str,
    is_private: bool,
    created_by: str,
    timezone: str,
    slots: Mapping[str, tuple[int, int]],
) -> Community:
    """Create a community bound to one channel, with its creator as facilitator.

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        name: display name, already validated.
        domain: the shared interest, may be empty.
        channel_id: the channel it lives in.
        channel_name: that channel's name, for display.
        is_private: whether the channel is private (its knowledge stays there).
        created_by: the creator's user id; becomes facilitator.
        timezone: IANA timezone for its schedules.
        slots: each kind of post's (weekday, minute of the local day), Monday = 0.

    Raises:
        NameTaken: a community of that name exists in the workspace.
        ChannelTaken: the channel hosts a community already.
    """
    now = utcnow()
    community = Community(
        team_id=team_id,
        name=name,
        name_key=name_key(name),
        domain=domain,
        timezone=timezone,
        created_by=created_by,
        created_at=now,
    )
    session.add(community)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise NameTaken(name) from None
    assert community.id is not None
    session.add(
        CommunityChannel(
            team_id=team_id,
            community_id=community.id,
            channel_id=channel_id,
            channel_name=channel_name,
            is_private=is_private,
            is_home=True,
            added_by=created_by,
            added_at=now,
        )
    )
    try:
        session.flush()
    except IntegrityError:  # another /cop create in this channel won (a unique constraint)
        session.rollback()
        raise ChannelTaken(channel_id) from None
    for kind, (weekday, minute) in slots.items():
        session.add(
            CommunitySchedule(
                team_id=team_id,
                community_id=community.id,
                kind=kind,
                weekday=weekday,
                minute=minute,
                updated_at=now,
            )
        )
    session.add(
        Member(
            team_id=team_id,
            community_id=community.id,
            user_id=created_by,
            role=ROLE_FACILITATOR,
            joined_at=now,
        )
    )
    seed_default_prompts(session=session, community=community)
    session.commit()
    return community


def add_members(*, session: Session, community: Community, user_ids: Iterable[str]) -> int:
    """Make everyone in `user_ids` a member unless they already have a membership row.

    Args:
        session: the open session (committed here).
        community: the community they join.
        user_ids: people to add (duplicates are fine).

    Returns:
        How many were added.
    """
    added = 0
    for user_id in dict.fromkeys(user_ids):
        added += insert_if_absent(
            session=session,
            model=Member,
            values={
                "team_id": community.team_id,
                "community_id": community.id,
                "user_id": user_id,
                "role": ROLE_MEMBER,
                "joined_at": utcnow(),
            },
        )
    session.commit()
    return added


def community_by_name(*, session: Session, team_id: str, name: str) -> Community | None:
    """The community called `name` (case-insensitively) in the workspace, if any."""
    query = select(Community).where(
        Community.team_id == team_id, Community.name_key == name_key(name)
    )
    return session.exec(query).first()


def community_for_channel(*, session: Session, team_id: str, channel_id: str) -> Community | None:
    """The community that lives in `channel_id`, if any (the oldest when several share it)."""
    found = {"team_id": team_id, "channel_id": channel_id}
    return session.exec(_COMMUNITY_OF_CHANNEL, params=found).first()


def channel_binding(*, session: Session, team_id: str, channel_id: str) -> CommunityChannel | None:
    """How `channel_id` is bound to a community (its privacy, name), if it is."""
    found = {"team_id": team_id, "channel_id": channel_id}
    return session.exec(_BINDING_OF_CHANNEL, params=found).first()


# Statements of the hot paths (every message and reaction), built once: building a query per
# call cost more than running it.
_COMMUNITY_OF_CHANNEL = (
    select(Community)
    .join(CommunityChannel, col(CommunityChannel.community_id) == col(Community.id))
    .where(
        CommunityChannel.team_id == bindparam("team_id"),
        CommunityChannel.channel_id == bindparam("channel_id"),
    )
    .order_by(col(Community.id))
)
_BINDING_OF_CHANNEL = (
    select(CommunityChannel)
    .where(
        CommunityChannel.team_id == bindparam("team_id"),
        CommunityChannel.channel_id == bindparam("channel_id"),
    )
    .order_by(col(CommunityChannel.id))
)
_FACILITATORS = (
    select(Member.user_id)
    .where(
        Member.community_id == bindparam("community_id"),
        Member.role == ROLE_FACILITATOR,
        col(Member.left_at).is_(None),
    )
    .order_by(col(Member.joined_at))
)


def get_community(*, session: Session, team_id: str, community_id: int) -> Community | None:
    """A community of the workspace by id."""
    query = select(Community).where(Community.team_id == team_id, Community.id == community_id)
    return session.exec(query).first()


def channels_of(*, session: Session, community_id: int) -> list[CommunityChannel]:
    """The channels a community lives in, its home first, then oldest first."""
    query = (
        select(CommunityChannel)
        .where(CommunityChannel.community_id == community_id)
        .order_by(col(CommunityChannel.is_home).desc(), col(CommunityChannel.id))
    )
    return list(session.exec(query))


def home_channel(*, session: Session, community_id: int) -> CommunityChannel | None:
    """The channel a community's posts go to and its messages are sent from."""
    channels = channels_of(session=session, community_id=community_id)
    return channels[0] if channels else None


class LastChannel(Exception):
    """The change would leave a community without a channel."""


def bind_channel(
    *,
    session: Session,
    community: Community,
    channel_id: str,
    channel_name: str,
    is_private: bool,
    added_by: str,
) -> CommunityChannel:
    """Make `channel_id` one more channel of `community`.

    Args:
        session: the open session (committed here).
        community: the community.
        channel_id: the channel.
        channel_name: its name, for display.
        is_private: whether Slack says it is private (its knowledge stays there).
        added_by: the facilitator who added it.

    Raises:
        ChannelTaken: the channel hosts a community already (this one or another).
    """
    bound = CommunityChannel(
        team_id=community.team_id,
        community_id=community.id or 0,
        channel_id=channel_id,
        channel_name=channel_name[:80],
        is_private=is_private,
        added_by=added_by,
        added_at=utcnow(),
    )
    session.add(bound)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ChannelTaken(channel_id) from None
    return bound


def unbind_channel(*, session: Session, community: Community, channel_id: str) -> bool:
    """`channel_id` is no longer one of the community's channels (its knowledge and members
    stay: a public channel's knowledge is still found; a private one's is shown to nobody,
    since copbot no longer follows who is in it, until the channel is added again); when it
    was the home, the oldest channel left becomes it. False when it was not one of them.

    Raises:
        LastChannel: it is the community's only channel.
    """
    write_lock(session, f"community {community.id}")
    channels = channels_of(session=session, community_id=community.id or 0)
    gone = next((c for c in channels if c.channel_id == channel_id), None)
    if gone is None:
        session.commit()
        return False
    rest = [c for c in channels if c is not gone]
    if not rest:
        session.commit()
        raise LastChannel(channel_id)
    session.delete(gone)
    if gone.is_home:
        heir = min(rest, key=lambda c: c.id or 0)
        heir.is_home = True
        session.add(heir)
    session.commit()
    return True


def shareable_channels(*, session: Session, community_id: int, shown_in: str) -> set[str]:
    """The channels whose knowledge and conversations a post in `shown_in` may quote: that
    channel and the community's public ones (a private channel's never leave it)."""
    public = session.exec(
        select(CommunityChannel.channel_id).where(
            CommunityChannel.community_id == community_id,
            col(CommunityChannel.is_private).is_(False),
        )
    )
    return {*public, shown_in} - {""}


def set_home_channel(*, session: Session, community: Community, channel_id: str) -> bool:
    """Make one of the community's channels its home; False when it is not one of them."""
    write_lock(session, f"community {community.id}")
    channels = channels_of(session=session, community_id=community.id or 0)
    if channel_id not in {c.channel_id for c in channels}:
        session.commit()
        return False
    for channel in channels:
        channel.is_home = channel.channel_id == channel_id
        session.add(channel)
    session.commit()
    return True


def names_of(*, session: Session, team_id: str, community_ids: Iterable[int]) -> dict[int, str]:
    """The names of communities of the workspace by id, in one query (unknown ids left out).

    Args:
        session: the open session.
        team_id: the workspace.
        community_ids: the communities.
    """
    query = select(Community.id, Community.name).where(
        Community.team_id == team_id, col(Community.id).in_(list(community_ids))
    )
    return {community_id: name for community_id, name in session.exec(query) if community_id}


def community_channels(
    *, session: Session, team_id: str
) -> list[tuple[Community, CommunityChannel]]:
    """Every (community, channel) pair of the workspace, by community name then channel age."""
    query = (
        select(Community, CommunityChannel)
        .join(CommunityChannel, col(CommunityChannel.community_id) == col(Community.id))
        .where(Community.team_id == team_id)
        .order_by(col(Community.name_key), col(CommunityChannel.id))
    )
    return [(c, ch) for c, ch in session.exec(query)]


def communities_of_user(*, session: Session, team_id: str, user_id: str) -> list[Community]:
    """The communities `user_id` currently belongs to, by name."""
    return [c for c, _ in memberships_of_user(session=session, team_id=team_id, user_id=user_id)]


def memberships_of_user(
    *, session: Session, team_id: str, user_id: str
) -> list[tuple[Community, str]]:
    """The communities `user_id` currently belongs to, by name, each with their role in it.

    Args:
        session: the open session.
        team_id: the workspace.
        user_id: whose memberships.
    """
    query = (
        select(Community, Member.role)
        .join(Member, col(Member.community_id) == col(Community.id))
        .where(
            Member.team_id == team_id,
            Member.user_id == user_id,
            col(Member.left_at).is_(None),
        )
        .order_by(Community.name_key)
    )
    return [(community, role) for community, role in session.exec(query)]


class Membership(NamedTuple):
    """A community someone belongs to, as read for all of theirs at once: what App Home
    shows of it, and their role there (no ORM object each)."""

    id: int
    name: str
    paused: bool
    timezone: str
    created_at: datetime
    role: str
    channel_id: str  # its home channel (as home_channel), "" when it has none


def memberships_in_brief(*, session: Session, team_id: str, user_id: str) -> list[Membership]:
    """What memberships_of_user gives, in brief: the communities `user_id` currently belongs
    to, by name, each with its home channel (one query whatever their number).

    Args:
        session: the open session.
        team_id: the workspace.
        user_id: whose memberships.
    """
    found = {"team_id": team_id, "user_id": user_id}
    rows = session.connection().execute(_MEMBERSHIPS, found)
    return [Membership._make((*row[:-1], row[-1] or "")) for row in rows]


_HOME_CHANNEL = (
    sqlalchemy.select(col(CommunityChannel.channel_id))
    .where(col(CommunityChannel.community_id) == col(Community.id))
    .order_by(col(CommunityChannel.is_home).desc(), col(CommunityChannel.id))
    .limit(1)
    .correlate(Community)
    .scalar_subquery()
)
_MEMBERSHIPS = (
    sqlalchemy.select(
        col(Community.id),
        col(Community.name),
        col(Community.paused),
        col(Community.timezone),
        col(Community.created_at),
        col(Member.role),
        _HOME_CHANNEL,
    )
    .join(Member, col(Member.community_id) == col(Community.id))
    .where(
        col(Member.team_id) == bindparam("team_id"),
        col(Member.user_id) == bindparam("user_id"),
        col(Member.left_at).is_(None),
    )
    .order_by(col(Community.name_key))
)


def get_member(*, session: Session, community_id: int, user_id: str) -> Member | None:
    """The membership row of `user_id` in a community (current or past), if any."""
    query = select(Member).where(Member.community_id == community_id, Member.user_id == user_id)
    return session.exec(query).first()


def join_community(*, session: Session, community: Community, user_id: str) -> bool:
    """Make `user_id` a current member; False when they already were.

    Args:
        session: the open session (committed here).
        community: the community to join.
        user_id: who joins.
    """
    assert community.id is not None
    member = get_member(session=session, community_id=community.id, user_id=user_id)
    if member is not None and member.active:
        return False
    if member is None:
        member = Member(team_id=community.team_id, community_id=community.id, user_id=user_id)
    else:
        member.left_at = None
        member.joined_at = utcnow()
    session.add(member)
    try:
        session.commit()
    except IntegrityError:  # joined concurrently (e.g. the channel join event and /cop join)
        session.rollback()
        return False
    return True


def leave_community(
    *, session: Session, community: Community, user_id: str, keep_a_facilitator: bool = False
) -> bool:
    """End `user_id`'s membership; False when they were not a member.

    Args:
        session: the open session (committed here).
        community: the community to leave.
        user_id: who leaves.
        keep_a_facilitator: refuse (LastFacilitator) when they are its last facilitator,
            checked and written as one step (a leave by choice; leaving the channel is not).
    """
    assert community.id is not None
    if keep_a_facilitator:
        _require_another_facilitator(session, community, user_id)
    member = get_member(session=session, community_id=community.id, user_id=user_id)
    if member is None or not member.active:
        session.rollback()
        return False
    member.left_at = utcnow()
    session.add(member)
    session.commit()
    return True


def _require_another_facilitator(session: Session, community: Community, user_id: str) -> None:
    """Hold the community's facilitators until the transaction ends; LastFacilitator when
    `user_id` is the only one."""
    assert community.id is not None
    write_lock(session, f"facilitators {community.id}")
    if facilitator_ids(session=session, community_id=community.id) == [user_id]:
        session.rollback()
        raise LastFacilitator(user_id)


def facilitator_ids(*, session: Session, community_id: int) -> list[str]:
    """User ids of the community's current facilitators, earliest first."""
    return list(session.exec(_FACILITATORS, params={"community_id": community_id}))


@dataclass(frozen=True)
class CommunityOverview:
    """What `/cop info` shows about a community, as plain data."""

    community: Community
    channels: list[CommunityChannel]
    facilitator_ids: list[str]
    member_count: int
    knowledge_count: int


def community_overview(*, session: Session, community: Community) -> CommunityOverview:
    """Gather the counts and lists `/cop info` shows.

    Args:
        session: the open session.
        community: the community to describe.
    """
    assert community.id is not None
    members = session.exec(
        select(func.count())
        .select_from(Member)
        .where(Member.community_id == community.id, col(Member.left_at).is_(None))
    ).one()
    knowledge = session.exec(
        select(func.count())
        .select_from(Snippet)
        .where(Snippet.community_id == community.id, Snippet.status == STATUS_CONFIRMED)
    ).one()
    return CommunityOverview(
        community=community,
        channels=channels_of(session=session, community_id=community.id),
        facilitator_ids=facilitator_ids(session=session, community_id=community.id),
        member_count=int(members),
        knowledge_count=int(knowledge),
    )


def update_settings(*, session: Session, community: Community, **changes: object) -> Community:
    """Change a community's settings (emoji, thresholds, quotas, timezone).

    Args:
        session: the open session (committed here).
        community: the community.
        **changes: column values, already validated by the caller.
    """
    for key, value in changes.items():
        if not hasattr(community, key) or key in ("id", "team_id", "created_by", "created_at"):
            raise ValueError(f"not a community setting: {key}")
        setattr(community, key, value)
    session.add(community)
    session.commit()
    return community


def set_role(*, session: Session, community: Community, user_id: str, role: str) -> bool:
    """Make `user_id` a facilitator or a plain member (joining them if needed).

    A community keeps at least one facilitator: making its last one a plain member raises
    LastFacilitator, checked and written as one step, so two facilitators removing each other
    at once leave one.

    Args:
        session: the open session (committed here).
        community: the community.
        user_id: whose role changes.
        role: ROLE_FACILITATOR or ROLE_MEMBER.

    Returns:
        False when they already had that role (also when another call gave it to them
        meanwhile: only one of two at once returns True).
    """
    assert community.id is not None
    if role != ROLE_FACILITATOR:
        _require_another_facilitator(session, community, user_id)
    else:  # read and written as one step: of two adds at once, one changes it
        write_lock(session, f"facilitators {community.id}")
    member = get_member(session=session, community_id=community.id, user_id=user_id)
    if member is not None and member.active and member.role == role:
        session.rollback()
        return False
    if member is None:
        member = Member(team_id=community.team_id, community_id=community.id, user_id=user_id)
    member.role, member.left_at = role, None
    session.add(member)
    try:
        session.commit()
    except IntegrityError:  # joined meanwhile: set the role on the row that won
        session.rollback()
        return set_role(session=session, community=community, user_id=user_id, role=role)
    return True


def facilitators_to_note(
    *, session: Session, community_id: int, since: datetime, now: datetime
) -> list[str]:
    """The community's facilitators not told since `since` that knowledge waits for them,
    marked told at `now`: each is returned once however many ask at the same time (one
    UPDATE per facilitator decides who tells them).

    Args:
        session: the open session (committed here).
        community_id: the community.
        since: the start of the facilitator's day (a note earlier than this is stale).
        now: the current time.
    """
    ids = facilitator_ids(session=session, community_id=community_id)
    noted = []
    for user_id in ids:
        claimed = session.execute(
            sqlalchemy.update(Member)
            .where(
                col(Member.community_id) == community_id,
                col(Member.user_id) == user_id,
                col(Member.left_at).is_(None),
                sqlalchemy.or_(
                    col(Member.pending_noted_at).is_(None), col(Member.pending_noted_at) < since
                ),
            )
            .values(pending_noted_at=now)
        )
        if claimed.rowcount:  # type: ignore[attr-defined]
            noted.append(user_id)
    session.commit()
    return noted
