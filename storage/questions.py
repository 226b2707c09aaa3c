"""Questions asked in community channels: recorded once, their first reply, their answer.

Every change is one conditional statement (first reply only if none yet, answered only while
open), so a re-delivered event or two at once change a question once.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from statistics import median
from typing import NamedTuple

from sqlalchemy import or_, update
from sqlmodel import Session, col, delete, func, select

from storage.clock import utcnow
from storage.models import ChannelMessage
from storage.models.questions import QUESTION_ANSWERED, QUESTION_CLOSED, QUESTION_OPEN, Question
from storage.types import no_nul
from storage.upsert import insert_if_absent


def record_question(
    *,
    session: Session,
    team_id: str,
    community_id: int,
    channel_id: str,
    message_ts: str,
    is_private: bool,
    asker_id: str,
    text: str,
    asked_at: datetime,
) -> bool:
    """Record a question (markup `text`); False when its message was recorded already.

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        community_id: the community of the channel it was asked in.
        channel_id: where it was asked.
        message_ts: its message.
        is_private: whether the channel is private (its question stays there).
        asker_id: who asked.
        text: what they asked, as markup.
        asked_at: when.
    """
    values = dict(
        team_id=team_id,
        community_id=community_id,
        channel_id=channel_id,
        message_ts=message_ts,
        is_private=is_private,
        asker_id=asker_id,
        text=no_nul(text),
        asked_at=asked_at,
        status=QUESTION_OPEN,
    )
    inserted = insert_if_absent(session=session, model=Question, values=values)
    session.commit()
    return inserted


def question_at(
    *, session: Session, team_id: str, channel_id: str, message_ts: str
) -> Question | None:
    """The question asked by a message, if it was one."""
    return session.exec(
        select(Question).where(
            Question.team_id == team_id,
            Question.channel_id == channel_id,
            Question.message_ts == message_ts,
        )
    ).first()


def record_reply(*, session: Session, question: Question, replier_id: str, at: datetime) -> bool:
    """A reply in the question's thread: the first by someone other than the asker is its
    first response. True when this reply was it."""
    if replier_id == question.asker_id:
        return False
    done = session.connection().execute(
        update(Question)
        .where(col(Question.id) == question.id, col(Question.first_reply_at).is_(None))
        .values(first_reply_at=at, first_replier_id=replier_id)
    )
    session.commit()
    return bool(done.rowcount)


def mark_answered(
    *, session: Session, question: Question, answered_by: str, answer_ts: str, at: datetime
) -> bool:
    """The question is answered by `answered_by`'s reply `answer_ts`; False when it was no
    longer open (answered or closed before), so an answer is counted once."""
    done = session.connection().execute(
        update(Question)
        .where(col(Question.id) == question.id, col(Question.status) == QUESTION_OPEN)
        .values(
            status=QUESTION_ANSWERED, answered_by=answered_by, answer_ts=answer_ts, answered_at=at
        )
    )
    session.commit()
    return bool(done.rowcount)


def update_question_text(
    *, session: Session, team_id: str, channel_id: str, message_ts: str, text: str
) -> None:
    """The asker edited their question: it reads as the message does now."""
    session.connection().execute(
        update(Question)
        .where(
            col(Question.team_id) == team_id,
            col(Question.channel_id) == channel_id,
            col(Question.message_ts) == message_ts,
        )
        .values(text=no_nul(text))
    )
    session.commit()


def forget_question(*, session: Session, team_id: str, channel_id: str, message_ts: str) -> None:
    """The question's message was deleted: so is the question."""
    session.connection().execute(
        delete(Question).where(
            col(Question.team_id) == team_id,
            col(Question.channel_id) == channel_id,
            col(Question.message_ts) == message_ts,
        )
    )
    session.commit()


class Listed(NamedTuple):
    """A question as /cop questions lists it, with how many replies its thread has (and,
    for the privacy rules, where it was asked)."""

    question: Question
    replies: int

    @property
    def team_id(self) -> str:
        return self.question.team_id

    @property
    def channel_id(self) -> str:
        return self.question.channel_id

    @property
    def is_private(self) -> bool:
        return self.question.is_private


_REPLIES = (
    select(func.count())
    .select_from(ChannelMessage)
    .where(
        col(ChannelMessage.team_id) == col(Question.team_id),
        col(ChannelMessage.channel_id) == col(Question.channel_id),
        col(ChannelMessage.thread_ts) == col(Question.message_ts),
        col(ChannelMessage.deleted_at).is_(None),
    )
    .correlate(Question)
    .scalar_subquery()
)


def questions_of(
    *,
    session: Session,
    community_id: int,
    status: str | None = None,
    asker_id: str | None = None,
    limit: int = 50,
    settled: bool = False,
) -> list[Listed]:
    """A community's questions with their reply counts: open ones oldest first (the longest
    waiting on top), answered ones latest answered first, someone's own newest first.

    Args:
        session: the open session.
        community_id: the community.
        status: QUESTION_OPEN, QUESTION_ANSWERED or None for any.
        settled: answered or closed ones (latest settled first).
        asker_id: only this person's.
        limit: at most this many.
    """
    query = select(Question, _REPLIES).where(Question.community_id == community_id)
    if status is not None:
        query = query.where(Question.status == status)
    if settled:
        query = query.where(Question.status != QUESTION_OPEN)
    if asker_id is not None:
        query = query.where(Question.asker_id == asker_id)
    if status == QUESTION_OPEN:
        query = query.order_by(col(Question.asked_at), col(Question.id))
    elif status == QUESTION_ANSWERED or settled:
        query = query.order_by(col(Question.answered_at).desc(), col(Question.id).desc())
    else:
        query = query.order_by(col(Question.asked_at).desc(), col(Question.id).desc())
    return [Listed(q, int(n or 0)) for q, n in session.exec(query.limit(limit))]


def open_in(
    *, session: Session, community_id: int, shareable: Collection[str], limit: int = 5
) -> tuple[list[Question], int]:
    """A community's open questions in the `shareable` channels, oldest first, and how many
    there are (a private channel's only where that channel is shareable)."""
    where = (
        Question.community_id == community_id,
        Question.status == QUESTION_OPEN,
        or_(col(Question.is_private).is_(False), col(Question.channel_id).in_(list(shareable))),
    )
    total = session.exec(select(func.count()).select_from(Question).where(*where)).one()
    oldest = session.exec(
        select(Question)
        .where(*where)
        .order_by(col(Question.asked_at), col(Question.id))
        .limit(limit)
    )
    return list(oldest), int(total)


def first_response_times(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> list[timedelta]:
    """How long each question asked between `start` and `end` waited for its first reply by
    someone else (those still waiting are not in it)."""
    rows = session.exec(
        select(Question.asked_at, Question.first_reply_at).where(
            Question.community_id == community_id,
            col(Question.asked_at) >= start,
            col(Question.asked_at) < end,
            col(Question.first_reply_at).is_not(None),
        )
    )
    return [replied - asked for asked, replied in rows if replied is not None]


class QuestionWeek(NamedTuple):
    """A week of a community's questions: asked, answered of those, and each one's wait for
    a first reply (those replied to)."""

    asked: int
    answered: int
    waits: list[timedelta]


def question_week(
    *, session: Session, community_id: int, start: datetime, end: datetime
) -> QuestionWeek:
    """The questions asked between `start` and `end` (one read)."""
    rows = session.exec(
        select(Question.status, Question.asked_at, Question.first_reply_at).where(
            Question.community_id == community_id,
            col(Question.asked_at) >= start,
            col(Question.asked_at) < end,
        )
    ).all()
    return QuestionWeek(
        asked=len(rows),
        answered=sum(status == QUESTION_ANSWERED for status, _, _ in rows),
        waits=[replied - asked for _, asked, replied in rows if replied is not None],
    )


def top_answerers(
    *, session: Session, community_id: int, since: datetime, limit: int = 3
) -> list[tuple[str, int]]:
    """Who answered most of the questions answered since `since`, most first."""
    rows = session.exec(
        select(Question.answered_by, func.count())
        .where(
            Question.community_id == community_id,
            col(Question.answered_at) >= since,
            col(Question.answered_by).is_not(None),
        )
        .group_by(col(Question.answered_by))
        .order_by(func.count().desc(), col(Question.answered_by))
        .limit(limit)
    ).all()
    return [(str(user), int(count)) for user, count in rows]


def median_wait(waits: Sequence[timedelta]) -> timedelta | None:
    """The median of `waits` (the mean of the middle two for an even count), None for none."""
    return timedelta(seconds=median(w.total_seconds() for w in waits)) if waits else None


def p90_wait(waits: Sequence[timedelta]) -> timedelta | None:
    """The wait 90% of `waits` are within (nearest rank), None for none."""
    if not waits:
        return None
    ordered = sorted(waits)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def question_by_id(*, session: Session, team_id: str, question_id: int) -> Question | None:
    """A question of the workspace by id (None for another workspace's)."""
    found = session.get(Question, question_id)
    return found if found is not None and found.team_id == team_id else None


def close_question(*, session: Session, question: Question) -> bool:
    """A facilitator closes an open question unanswered; False when it was not open."""
    done = session.connection().execute(
        update(Question)
        .where(col(Question.id) == question.id, col(Question.status) == QUESTION_OPEN)
        .values(status=QUESTION_CLOSED, answered_at=utcnow())  # when it was settled
    )
    session.commit()
    return bool(done.rowcount)


def reopen_question(*, session: Session, question: Question) -> bool:
    """A facilitator reopens an answered or closed question (its answer forgotten; knowledge
    kept from it stays); False when it was open already."""
    done = session.connection().execute(
        update(Question)
        .where(col(Question.id) == question.id, col(Question.status) != QUESTION_OPEN)
        .values(status=QUESTION_OPEN, answered_at=None, answer_ts=None, answered_by=None)
    )
    session.commit()
    return bool(done.rowcount)
