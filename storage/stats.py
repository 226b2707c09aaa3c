"""Participation over time for `/cop stats`: one row per local week, from stored rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
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
