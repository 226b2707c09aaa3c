"""What a weekly digest is made of, from stored rows (bot/blocks/digest.py renders it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage import communities, questions
from storage.kudos import KudosWeek, kudos_week
from storage.models import (
    ChannelMessage,
    Community,
    Member,
    Prompt,
    Question,
    ScheduledPost,
    Snippet,
)
from storage.models.knowledge import SOURCE_REACTION, STATUS_CONFIRMED, STATUS_PENDING
from storage.models.schedule import KIND_PROMPT, POST_POSTED
from storage.search import snippet_tags
from storage.stats import WeekCounts, confirmed_before, confirmed_in, week_counts

TOP_SNIPPETS = 5
TOP_REPLIES = 3


@dataclass(frozen=True)
class PromptThread:
    """The week's most discussed prompt and its best replies."""

    text: str
    channel_id: str
    message_ts: str
    reply_count: int
    # captured replies by endorsements, or the first replies when none was captured
    replies: list[tuple[str, str, int]]  # (author id, text, endorsements)
    replies_captured: bool


@dataclass(frozen=True)
class DigestData:
    """Everything the weekly digest shows."""

    community: Community
    start: datetime
    end: datetime
    new_snippets: int
    top_snippets: list[Snippet]
    tags: dict[int, list[str]]
    prompt: PromptThread | None
    first_time_contributors: list[str]
    new_members: list[str]
    kudos: KudosWeek
    this_week: WeekCounts
    last_week: WeekCounts
    waiting: int = 0  # knowledge waiting for a facilitator's confirmation, now
    # questions still waiting for an answer (the oldest few, of `open_total`)
    open_questions: list[Question] = field(default_factory=list)
    open_total: int = 0
    # median wait for a first reply of the questions asked in the week, and the week before
    response: timedelta | None = None
    response_before: timedelta | None = None

    @property
    def quiet(self) -> bool:
        return (
            not self.new_snippets
            and not self.kudos.kudos
            and not (self.prompt and self.prompt.reply_count)
            and not self.new_members
            and not self.open_questions
        )


def prompt_thread(
    *,
    session: Session,
    community: Community,
    start: datetime,
    end: datetime,
    shareable: set[str] | None = None,
) -> PromptThread | None:
    """The prompt posted in the period with the most replies, and its best replies; only
    among prompts posted in the `shareable` channels when given (a private channel's
    conversation is not quoted elsewhere)."""
    assert community.id is not None
    posts = session.exec(
        select(ScheduledPost, Prompt)
        .join(Prompt, col(Prompt.id) == col(ScheduledPost.prompt_id))
        .where(
            ScheduledPost.community_id == community.id,
            ScheduledPost.kind == KIND_PROMPT,
            ScheduledPost.status == POST_POSTED,
            col(ScheduledPost.posted_at) >= start,
            col(ScheduledPost.posted_at) < end,
        )
    ).all()
    best: PromptThread | None = None
    for post, prompt in posts:
        if shareable is not None and post.channel_id not in shareable:
            continue
        replies = list(
            session.exec(
                select(ChannelMessage)
                .where(
                    ChannelMessage.team_id == community.team_id,
                    ChannelMessage.channel_id == post.channel_id,
                    ChannelMessage.thread_ts == post.message_ts,
                    col(ChannelMessage.deleted_at).is_(None),
                )
                .order_by(col(ChannelMessage.ts))
            )
        )
        if best is not None and len(replies) <= best.reply_count:
            continue
        captured = list(
            session.exec(
                select(Snippet)
                .where(
                    Snippet.team_id == community.team_id,
                    Snippet.channel_id == post.channel_id,
                    col(Snippet.message_ts).in_([r.ts for r in replies]),
                    Snippet.status == STATUS_CONFIRMED,
                )
                .order_by(col(Snippet.endorsements).desc(), col(Snippet.id))
                .limit(TOP_REPLIES)
            )
        )
        top = [(s.author_id, s.text, s.endorsements) for s in captured] or [
            (r.user_id, r.text, 0) for r in replies[:TOP_REPLIES]
        ]
        best = PromptThread(
            text=prompt.text,
            channel_id=post.channel_id or "",
            message_ts=post.message_ts or "",
            reply_count=len(replies),
            replies=top,
            replies_captured=bool(captured),
        )
    return best


def digest_data(
    *,
    session: Session,
    community: Community,
    start: datetime,
    end: datetime,
    previous_start: datetime,
    shown_in: str,
) -> DigestData:
    """Gather one week of a community for its digest.

    Args:
        session: the open session.
        community: the community.
        start: the week's start (UTC).
        end: the week's end (UTC, exclusive).
        previous_start: the start of the week before, for the trend line.
        shown_in: the channel the digest goes to: knowledge and prompt threads of a private
            channel are shown only there (its numbers count everywhere).
    """
    assert community.id is not None
    shareable = communities.shareable_channels(
        session=session, community_id=community.id, shown_in=shown_in
    )
    in_week = confirmed_in(community.id, start, end)
    new_count = session.exec(select(func.count()).select_from(Snippet).where(*in_week)).one()
    top = list(
        session.exec(
            select(Snippet)
            .where(
                *in_week,
                or_(col(Snippet.is_private).is_(False), col(Snippet.channel_id).in_(shareable)),
            )
            .order_by(col(Snippet.endorsements).desc(), col(Snippet.confirmed_at).desc())
            .limit(TOP_SNIPPETS)
        )
    )
    authors = set(session.exec(select(Snippet.author_id).where(*in_week)))
    earlier = set(
        session.exec(select(Snippet.author_id).where(*confirmed_before(community.id, start)))
    )
    joined = session.exec(
        select(Member.user_id)
        .where(
            Member.community_id == community.id,
            col(Member.left_at).is_(None),
            col(Member.joined_at) >= start,
            col(Member.joined_at) < end,
            Member.user_id != community.created_by,
        )
        .order_by(col(Member.joined_at))
    ).all()
    # members seeded when the community was created are its founders, not newcomers
    new_members = [] if community.created_at >= start else list(joined)
    open_questions, open_total = questions.open_in(
        session=session, community_id=community.id, shareable=shareable
    )
    return DigestData(
        open_questions=open_questions,
        open_total=open_total,
        response=questions.median_wait(
            questions.first_response_times(
                session=session, community_id=community.id, start=start, end=end
            )
        ),
        response_before=questions.median_wait(
            questions.first_response_times(
                session=session, community_id=community.id, start=previous_start, end=start
            )
        ),
        community=community,
        start=start,
        end=end,
        new_snippets=int(new_count),
        top_snippets=top,
        tags=snippet_tags(session=session, snippet_ids=[s.id for s in top if s.id is not None]),
        prompt=prompt_thread(
            session=session, community=community, start=start, end=end, shareable=shareable
        ),
        first_time_contributors=sorted(authors - earlier),
        new_members=new_members,
        kudos=kudos_week(
            session=session, community_id=community.id, start=start, end=end, shown_in=shown_in
        ),
        this_week=week_counts(session=session, community=community, start=start, end=end),
        last_week=week_counts(
            session=session, community=community, start=previous_start, end=start
        ),
        waiting=int(
            session.exec(
                select(func.count())
                .select_from(Snippet)
                .where(
                    Snippet.community_id == community.id,
                    Snippet.status == STATUS_PENDING,
                    or_(  # past the reactions it needs: only a facilitator's Confirm is missing
                        col(Snippet.source) != SOURCE_REACTION,
                        col(Snippet.endorsements) >= max(1, community.reactions_required),
                    ),
                )
            ).one()
        )
        if community.require_confirmation
        else 0,
    )
