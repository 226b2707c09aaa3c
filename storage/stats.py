"""Participation over time for `/cop stats`: one row per local week, from stored rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, text
from sqlmodel import Session, col, select

from storage.communities import channels_of
from storage.models import (
    ChannelMessage,
    Community,
    Endorsement,
    Kudos,
    ScheduledPost,
    Snippet,
)
from storage.models.knowledge import STATUS_CONFIRMED
from storage.models.schedule import KIND_PROMPT, POST_POSTED
from storage.types import UTCDateTime

SILENT_WEEKS = 4


@dataclass(frozen=True)
class WeekCounts:
    snippets: int
    kudos: int
    active_people: int


@dataclass(frozen=True)
class WeekStats:
    label: str
    active: int
    snippets: int
    endorsements: int
    kudos: int
    prompt_replies: int
    first_time: int


def active_people(
    session: Session, community: Community, start: datetime, end: datetime
) -> set[str]:
    """Who wrote, shared, endorsed or thanked in the community in [start, end)."""
    assert community.id is not None
    channel_ids = [c.channel_id for c in channels_of(session=session, community_id=community.id)]
    people: set[str] = set()
    people |= set(
        session.exec(
            select(ChannelMessage.user_id).where(
                ChannelMessage.team_id == community.team_id,
                col(ChannelMessage.channel_id).in_(channel_ids),
                col(ChannelMessage.posted_at) >= start,
                col(ChannelMessage.posted_at) < end,
            )
        )
    )
    people |= set(
        session.exec(
            select(Snippet.author_id).where(
                Snippet.community_id == community.id,
                col(Snippet.created_at) >= start,
                col(Snippet.created_at) < end,
            )
        )
    )
    people |= set(
        session.exec(
            select(Endorsement.user_id)
            .join(Snippet, col(Snippet.id) == col(Endorsement.snippet_id))
            .where(
                Snippet.community_id == community.id,
                col(Endorsement.created_at) >= start,
                col(Endorsement.created_at) < end,
            )
        )
    )
    people |= set(
        session.exec(
            select(Kudos.giver_id).where(
                Kudos.community_id == community.id,
                col(Kudos.created_at) >= start,
                col(Kudos.created_at) < end,
            )
        )
    )
    return {p for p in people if p}


def confirmed_in(community_id: int, start: datetime, end: datetime) -> tuple[Any, ...]:
    """Conditions selecting a community's new knowledge of [start, end): the snippets that
    became confirmed then (and still are), whenever they were captured.

    The one definition of "new knowledge": the digest's count, top snippets, trend line and
    first-time contributors, `/cop stats`, `/cop top` and the kudos summary's knowledge
    credits all select with it, so a snippet captured one week and confirmed the next counts
    once, in the week it was confirmed.
    """
    return (
        Snippet.community_id == community_id,
        Snippet.status == STATUS_CONFIRMED,
        col(Snippet.confirmed_at) >= start,
        col(Snippet.confirmed_at) < end,
    )


def confirmed_before(community_id: int, moment: datetime) -> tuple[Any, ...]:
    """Conditions selecting a community's knowledge confirmed before `moment` (so a person's
    first contribution is their first snippet confirmed, not their first captured)."""
    return (
        Snippet.community_id == community_id,
        Snippet.status == STATUS_CONFIRMED,
        col(Snippet.confirmed_at) < moment,
    )


def week_counts(
    *, session: Session, community: Community, start: datetime, end: datetime
) -> WeekCounts:
    """Snippets, kudos and active people (who wrote, shared, endorsed or thanked) in a period.

    Args:
        session: the open session.
        community: the community.
        start: period start (UTC, inclusive).
        end: period end (UTC, exclusive).
    """
    assert community.id is not None
    snippets = session.exec(
        select(func.count()).select_from(Snippet).where(*confirmed_in(community.id, start, end))
    ).one()
    kudos = session.exec(
        select(func.count())
        .select_from(Kudos)
        .where(
            Kudos.community_id == community.id,
            col(Kudos.created_at) >= start,
            col(Kudos.created_at) < end,
        )
    ).one()
    active = active_people(session, community, start, end)
    return WeekCounts(snippets=int(snippets), kudos=int(kudos), active_people=len(active))


def count_prompt_replies(
    *, session: Session, community: Community, start: datetime, end: datetime
) -> int:
    """Thread replies (still cached) to the prompts posted in [start, end)."""
    assert community.id is not None
    posts = session.exec(
        select(ScheduledPost.channel_id, ScheduledPost.message_ts).where(
            ScheduledPost.community_id == community.id,
            ScheduledPost.kind == KIND_PROMPT,
            ScheduledPost.status == POST_POSTED,
            col(ScheduledPost.posted_at) >= start,
            col(ScheduledPost.posted_at) < end,
        )
    ).all()
    total = 0
    for channel_id, ts in posts:
        total += session.exec(
            select(func.count())
            .select_from(ChannelMessage)
            .where(
                ChannelMessage.team_id == community.team_id,
                ChannelMessage.channel_id == channel_id,
                ChannelMessage.thread_ts == ts,
                col(ChannelMessage.deleted_at).is_(None),
            )
        ).one()
    return int(total)


def week_stats(
    *, session: Session, community: Community, label: str, start: datetime, end: datetime
) -> WeekStats:
    """The figures of one week.

    Args:
        session: the open session.
        community: the community.
        label: how the week is shown ("W48").
        start: week start (UTC).
        end: week end (UTC, exclusive).
    """
    assert community.id is not None
    counts = week_counts(session=session, community=community, start=start, end=end)
    # a person endorses a snippet once, however many knowledge emoji they reacted with
    endorsed = (
        select(Endorsement.snippet_id, Endorsement.user_id)
        .join(Snippet, col(Snippet.id) == col(Endorsement.snippet_id))
        .where(
            Snippet.community_id == community.id,
            Endorsement.emoji != "",
            col(Endorsement.created_at) >= start,
            col(Endorsement.created_at) < end,
        )
        .distinct()
        .subquery()
    )
    endorsements = session.exec(select(func.count()).select_from(endorsed)).one()
    authors = set(
        session.exec(select(Snippet.author_id).where(*confirmed_in(community.id, start, end)))
    )
    before = set(
        session.exec(select(Snippet.author_id).where(*confirmed_before(community.id, start)))
    )
    return WeekStats(
        label=label,
        active=counts.active_people,
        snippets=counts.snippets,
        endorsements=int(endorsements),
        kudos=counts.kudos,
        prompt_replies=count_prompt_replies(
            session=session, community=community, start=start, end=end
        ),
        first_time=len(authors - before),
    )


def slipping_away(
    *, session: Session, community: Community, since: datetime, silent_from: datetime
) -> list[str]:
    """People active between `since` and `silent_from` who have been silent since then."""
    earlier = active_people(session, community, since, silent_from)
    recent = active_people(
        session, community, silent_from, datetime.max.replace(tzinfo=since.tzinfo)
    )
    return sorted(earlier - recent)


@dataclass(frozen=True)
class Pulse:
    """A community's last seven days beside the seven before: App Home's numbers."""

    snippets: int = 0
    kudos: int = 0
    active_people: int = 0
    snippets_before: int = 0
    kudos_before: int = 0
    active_before: int = 0


def pulses(
    *, session: Session, team_id: str, community_ids: Sequence[int], now: datetime
) -> dict[int, Pulse]:
    """Each community's Pulse, in one statement whatever their number: new knowledge
    (confirmed_in's definition), kudos, and the people who wrote, shared, endorsed or
    thanked (active_people's), over the last 7 days and the 7 before.

    Args:
        session: the open session.
        team_id: the workspace.
        community_ids: the communities.
        now: the end of the last seven days.
    """
    if not community_ids:
        return {}
    found = {
        "team": team_id,
        "ids": list(community_ids),
        "recent": now - timedelta(days=7),
        "since": now - timedelta(days=14),
        "now": now,
        "confirmed": STATUS_CONFIRMED,
    }
    counts: dict[int, dict[tuple[str, int], int]] = {c: {} for c in community_ids}
    for community_id, recent, kind, n in session.connection().execute(_PULSE, found):
        counts[community_id][(kind, int(recent))] = int(n)
    return {
        c: Pulse(
            snippets=k.get(("s", 1), 0),
            kudos=k.get(("k", 1), 0),
            active_people=k.get(("p", 1), 0),
            snippets_before=k.get(("s", 0), 0),
            kudos_before=k.get(("k", 0), 0),
            active_before=k.get(("p", 0), 0),
        )
        for c, k in counts.items()
    }


def _in_window(column: str) -> str:
    return f"{column} >= :since AND {column} < :now"


def _recent(column: str) -> str:
    return f"CASE WHEN {column} >= :recent THEN 1 ELSE 0 END"


# (community, recent?, who) for each thing someone did; people counted once per window
_PEOPLE = " UNION ALL ".join(
    (
        f"SELECT cc.community_id AS c, {_recent('m.posted_at')} AS r, m.user_id AS who"
        " FROM channel_message m JOIN community_channel cc ON cc.team_id = m.team_id"
        " AND cc.channel_id = m.channel_id"
        f" WHERE cc.community_id IN :ids AND m.team_id = :team AND {_in_window('m.posted_at')}",
        f"SELECT s.community_id, {_recent('s.created_at')}, s.author_id FROM snippet s"
        f" WHERE s.community_id IN :ids AND {_in_window('s.created_at')}",
        f"SELECT s.community_id, {_recent('e.created_at')}, e.user_id FROM endorsement e"
        " JOIN snippet s ON s.id = e.snippet_id"
        f" WHERE s.community_id IN :ids AND {_in_window('e.created_at')}",
        f"SELECT k.community_id, {_recent('k.created_at')}, k.giver_id FROM kudos k"
        f" WHERE k.community_id IN :ids AND {_in_window('k.created_at')}",
    )
)
_PULSE = text(
    f"SELECT c, r, 'p', count(DISTINCT who) FROM ({_PEOPLE}) people GROUP BY c, r"
    f" UNION ALL SELECT s.community_id, {_recent('s.confirmed_at')}, 's', count(*)"
    " FROM snippet s WHERE s.community_id IN :ids AND s.status = :confirmed"
    f" AND {_in_window('s.confirmed_at')} GROUP BY 1, 2"
    f" UNION ALL SELECT k.community_id, {_recent('k.created_at')}, 'k', count(*)"
    f" FROM kudos k WHERE k.community_id IN :ids AND {_in_window('k.created_at')}"
    " GROUP BY 1, 2"
).bindparams(
    bindparam("ids", expanding=True),
    bindparam("recent", type_=UTCDateTime()),
    bindparam("since", type_=UTCDateTime()),
    bindparam("now", type_=UTCDateTime()),
)
