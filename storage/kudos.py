"""Kudos: recording thanks, quotas, leaderboards and the weekly summary's figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, update
from sqlmodel import Session, col, delete, select

from storage.clock import utcnow
from storage.communities import shareable_channels
from storage.locks import write_lock
from storage.models import ChannelMessage, Community, Kudos, Snippet
from storage.models.base import PENDING_POST
from storage.models.knowledge import STATUS_CONFIRMED
from storage.models.kudos import KUDOS_COMMAND, KUDOS_REACTION
from storage.stats import confirmed_in
from storage.upsert import insert_if_absent


@dataclass(frozen=True)
class Given:
    """What give_within_quota did: who was thanked, and what is left of the quota."""

    added: list[str]
    left: int
    refused: bool = False  # over the quota: nothing was recorded


def give_within_quota(
    *,
    session: Session,
    community: Community,
    giver_id: str,
    receiver_ids: Sequence[str],
    reason: str,
    source: str,
    channel_id: str,
    message_ts: str,
    since: datetime,
) -> Given:
    """Record thanks to each receiver only if all of them fit in the giver's daily quota.

    The quota is counted and the kudos written under one lock on the giver's quota, so any
    number of kudos at once (commands, reactions, replicas) never pass it.

    Args:
        session: the open session (committed here; anything pending is committed first).
        community: where they are given (its kudos_daily_quota).
        giver_id: who thanks.
        receiver_ids: who is thanked, each once.
        reason: what for (markup).
        source: "command" or "reaction".
        channel_id: the channel of the message.
        message_ts: the thanked message (reaction) or the public thanks (command); thanks
            already recorded with it (a second handling) are neither counted nor refused.
        since: the start of the giver's day.
    """
    assert community.id is not None
    write_lock(session, f"kudos quota {community.id} {giver_id}")
    given = given_since(session=session, community_id=community.id, giver_id=giver_id, since=since)
    left = max(0, community.kudos_daily_quota - given)
    # recorded by an earlier handling of the same thanks (same message_ts): not counted again
    recorded = set(
        session.exec(
            select(Kudos.receiver_id).where(
                Kudos.team_id == community.team_id,
                Kudos.source == source,
                Kudos.channel_id == channel_id,
                Kudos.message_ts == message_ts,
                Kudos.giver_id == giver_id,
            )
        )
    )
    wanted = [r for r in dict.fromkeys(receiver_ids) if r not in recorded]
    if len(wanted) > left:
        session.rollback()
        return Given(added=[], left=left, refused=True)
    now = utcnow()
    added = [
        receiver_id
        for receiver_id in wanted
        if insert_if_absent(
            session=session,
            model=Kudos,
            values={
                "team_id": community.team_id,
                "community_id": community.id,
                "giver_id": giver_id,
                "receiver_id": receiver_id,
                "reason": reason.replace("\x00", ""),
                "source": source,
                "channel_id": channel_id,
                "message_ts": message_ts,
                "created_at": now,
            },
        )
    ]
    session.commit()
    return Given(added=added, left=left - len(added))


@dataclass(frozen=True)
class Unplaced:
    """Command kudos recorded for a post whose ts was never recorded."""

    team_id: str
    channel_id: str
    pending: str
    created_at: datetime


def unplaced_kudos(
    *, session: Session, since: datetime, until: datetime, limit: int = 100
) -> list[Unplaced]:
    """Command kudos still carrying a PENDING_POST ts, created in a window, one per post.

    Args:
        session: the open session.
        since: created at or after.
        until: created before.
        limit: the most returned.
    """
    query = (
        select(Kudos.team_id, Kudos.channel_id, Kudos.message_ts, func.min(Kudos.created_at))
        .where(
            col(Kudos.source) == KUDOS_COMMAND,
            col(Kudos.message_ts).startswith(PENDING_POST),
            col(Kudos.created_at) >= since,
            col(Kudos.created_at) < until,
        )
        .group_by(col(Kudos.team_id), col(Kudos.channel_id), col(Kudos.message_ts))
        .order_by(func.min(Kudos.created_at))
        .limit(limit)
    )
    return [Unplaced(t, c, ts, at) for t, c, ts, at in session.exec(query)]


def move_kudos(*, session: Session, team_id: str, channel_id: str, from_ts: str, to_ts: str) -> int:
    """Point command kudos recorded before their public post (`from_ts`) at the post.

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        channel_id: where the thanks were posted.
        from_ts: the placeholder they were recorded with.
        to_ts: the public post's ts.
    """
    result = session.execute(
        update(Kudos)
        .where(
            col(Kudos.team_id) == team_id,
            col(Kudos.source) == KUDOS_COMMAND,
            col(Kudos.channel_id) == channel_id,
            col(Kudos.message_ts) == from_ts,
        )
        .values(message_ts=to_ts)
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def withdraw_kudos(
    *, session: Session, team_id: str, source: str, channel_id: str, message_ts: str, giver_id: str
) -> int:
    """Remove the thanks `giver_id` gave with one message; returns how many rows went.

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        source: "reaction" (the only kind that can be taken back).
        channel_id: the message's channel.
        message_ts: the message.
        giver_id: whose thanks.
    """
    result = session.execute(
        delete(Kudos).where(
            col(Kudos.team_id) == team_id,
            col(Kudos.source) == source,
            col(Kudos.channel_id) == channel_id,
            col(Kudos.message_ts) == message_ts,
            col(Kudos.giver_id) == giver_id,
        )
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def given_since(*, session: Session, community_id: int, giver_id: str, since: datetime) -> int:
    """How many kudos `giver_id` gave in a community since a moment (for the daily quota).

    Args:
        session: the open session.
        community_id: the community.
        giver_id: the giver.
        since: the start of the giver's day in the community's timezone, in UTC.
    """
    query = (
        select(func.count())
        .select_from(Kudos)
        .where(
            Kudos.community_id == community_id,
            Kudos.giver_id == giver_id,
            col(Kudos.created_at) >= since,
        )
    )
    return int(session.exec(query).one())


@dataclass(frozen=True)
class Leaderboards:
    """Counts per person, highest first."""

    kudos_received: list[tuple[str, int]]
    knowledge_shared: list[tuple[str, int]]


def _ranked(rows: Sequence[tuple[str, int]], limit: int) -> list[tuple[str, int]]:
    return sorted(((u, int(n)) for u, n in rows), key=lambda r: (-r[1], r[0]))[:limit]


def leaderboards(
    *, session: Session, community_id: int, since: datetime | None, limit: int = 10
) -> Leaderboards:
    """Who received most kudos and who contributed most confirmed knowledge (counted from
    when it became confirmed, as everywhere).

    Args:
        session: the open session.
        community_id: the community.
        since: only count from this moment (None: all time).
        limit: entries per board.
    """
    kudos = select(Kudos.receiver_id, func.count()).where(Kudos.community_id == community_id)
    shared = select(Snippet.author_id, func.count()).where(
        Snippet.community_id == community_id, Snippet.status == STATUS_CONFIRMED
    )
    if since is not None:
        kudos = kudos.where(col(Kudos.created_at) >= since)
        shared = shared.where(col(Snippet.confirmed_at) >= since)
    received = session.exec(kudos.group_by(col(Kudos.receiver_id))).all()
    contributed = session.exec(shared.group_by(col(Snippet.author_id))).all()
    return Leaderboards(
        kudos_received=_ranked(received, limit), knowledge_shared=_ranked(contributed, limit)
    )


@dataclass(frozen=True)
class KudosWeek:
    """What the weekly kudos summary shows."""

    kudos: list[Kudos]
    top_receivers: list[tuple[str, int]]
    first_time_receivers: list[str]
    shared_knowledge: list[tuple[str, int]]
    curated_knowledge: list[tuple[str, int]]
    # kudos id -> the text (markup) of the message a reaction thanked, where it may be quoted
    quotes: dict[int, str] = field(default_factory=dict)
    # kudos typed in a private channel the summary is not posted in: their reasons stay there
    private: frozenset[int] = frozenset()


def kudos_week(
    *,
    session: Session,
    community_id: int,
    start: datetime,
    end: datetime,
    limit: int = 5,
    shown_in: str = "",
) -> KudosWeek:
    """Who thanked whom for what between `start` and `end`, and who is credited for knowledge.

    Knowledge credits its author ("shared knowledge") and its curator when that is someone
    else ("curated knowledge") in the week it became confirmed (storage/stats.py
    `confirmed_in`); no Kudos row is invented for it.

    Args:
        session: the open session.
        community_id: the community.
        start: the period's start (inclusive, UTC).
        end: the period's end (exclusive, UTC).
        limit: how many top receivers.
        shown_in: the channel the summary goes to: the reasons typed and the messages thanked
            by reaction there or in the community's public channels are shown (a private
            channel's never leave it).
    """
    kudos = list(
        session.exec(
            select(Kudos)
            .where(
                Kudos.community_id == community_id,
                col(Kudos.created_at) >= start,
                col(Kudos.created_at) < end,
            )
            .order_by(col(Kudos.created_at))
        )
    )
    counts = Counter(k.receiver_id for k in kudos)
    earlier = set(
        session.exec(
            select(Kudos.receiver_id).where(
                Kudos.community_id == community_id, col(Kudos.created_at) < start
            )
        )
    )
    snippets = session.exec(
        select(Snippet.author_id, Snippet.curator_id).where(*confirmed_in(community_id, start, end))
    ).all()
    authors = Counter(author for author, _ in snippets)
    curators = Counter(curator for author, curator in snippets if curator != author)
    shareable = shareable_channels(session=session, community_id=community_id, shown_in=shown_in)
    return KudosWeek(
        kudos=kudos,
        top_receivers=_ranked(list(counts.items()), limit),
        first_time_receivers=[
            r for r in dict.fromkeys(k.receiver_id for k in kudos) if r not in earlier
        ],
        shared_knowledge=_ranked(list(authors.items()), limit),
        curated_knowledge=_ranked(list(curators.items()), limit),
        quotes=_quotes(session, kudos, shareable),
        private=frozenset(
            k.id
            for k in kudos
            if k.id is not None and k.channel_id and k.channel_id not in shareable
        ),
    )


def _quotes(session: Session, kudos: list[Kudos], shareable: set[str]) -> dict[int, str]:
    """The cached text of the messages thanked by reaction in the `shareable` channels."""
    thanked = {(k.channel_id, k.message_ts) for k in kudos if k.source == KUDOS_REACTION}
    if not thanked:
        return {}
    quotable = {(c, ts) for c, ts in thanked if c in shareable}
    if not quotable:
        return {}
    rows = session.exec(
        select(ChannelMessage.channel_id, ChannelMessage.ts, ChannelMessage.text).where(
            ChannelMessage.team_id == kudos[0].team_id,
            col(ChannelMessage.channel_id).in_({c for c, _ in quotable}),
            col(ChannelMessage.ts).in_({ts for _, ts in quotable}),
            col(ChannelMessage.deleted_at).is_(None),
        )
    )
    texts = {(c, ts): text for c, ts, text in rows if (c, ts) in quotable and text.strip()}
    return {
        k.id: texts[(k.channel_id, k.message_ts)]
        for k in kudos
        if k.id is not None and (k.channel_id, k.message_ts) in texts
    }


class Received(NamedTuple):
    """Thanks someone received, as App Home lists them (no ORM object each)."""

    giver_id: str
    reason: str


def received_since(
    *, session: Session, team_id: str, receiver_id: str, since: datetime, limit: int = 5
) -> tuple[int, list[Received]]:
    """How many kudos someone received since a moment, in every community, and the latest few.

    Args:
        session: the open session.
        team_id: the workspace.
        receiver_id: who was thanked.
        since: from when.
        limit: how many of the latest to return.
    """
    found = {"team_id": team_id, "receiver_id": receiver_id, "since": since, "limit": limit}
    rows = session.connection().execute(_RECEIVED_LATEST, found).all()
    if rows or limit > 0:  # each row carries the count of them all, taken before the limit
        return (int(rows[0][-1]) if rows else 0), [Received._make(row[:-1]) for row in rows]
    return int(session.connection().execute(_RECEIVED_COUNT, found).scalar_one()), []


# App Home's reads, built once and run on the connection: a person's home is built often
_RECEIVED = (
    col(Kudos.team_id) == bindparam("team_id"),
    col(Kudos.receiver_id) == bindparam("receiver_id"),
    col(Kudos.created_at) >= bindparam("since"),
)
_RECEIVED_COUNT = select(func.count()).select_from(Kudos).where(*_RECEIVED)
_RECEIVED_LATEST = (
    select(Kudos.giver_id, Kudos.reason, func.count().over())
    .where(*_RECEIVED)
    .order_by(col(Kudos.created_at).desc())
    .limit(bindparam("limit"))
)
