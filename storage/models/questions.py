"""Questions asked in community channels, and what became of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import (
    CHANNEL_ID_LEN,
    TS_LEN,
    USER_ID_LEN,
    community_fk,
    pk_field,
    team_field,
    when_field,
)
from storage.types import UTCDateTime

QUESTION_OPEN = "open"
QUESTION_ANSWERED = "answered"
QUESTION_CLOSED = "closed"  # by a facilitator, unanswered


class Question(SQLModel, table=True):
    """A top-level message that asks something (bot.questions.is_question), one per message."""

    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "message_ts"),
        # a community's open questions, oldest first (the digest, /cop questions)
        Index("ix_question_community_status_asked", "community_id", "status", "asked_at"),
    )

    id: int | None = pk_field()
    team_id: str = team_field()
    community_id: int = community_fk()
    channel_id: str = Field(sa_column=Column(String(CHANNEL_ID_LEN), nullable=False))
    message_ts: str = Field(max_length=TS_LEN)
    is_private: bool = Field(default=False)
    asker_id: str = Field(max_length=USER_ID_LEN)
    text: str = Field(sa_column=Column(Text, nullable=False))  # markup, as the message says now
    asked_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # the first reply by someone other than the asker: the community's response time
    first_reply_at: datetime | None = when_field()
    first_replier_id: str | None = Field(default=None, max_length=USER_ID_LEN)
    status: str = Field(default=QUESTION_OPEN, max_length=16)
    answered_at: datetime | None = when_field()
    answer_ts: str | None = Field(default=None, max_length=TS_LEN)
    answered_by: str | None = Field(default=None, max_length=USER_ID_LEN)
