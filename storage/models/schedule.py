"""Weekly schedules per community and kind, and the ledger of scheduled posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import (
    CHANNEL_ID_LEN,
    TS_LEN,
    community_fk,
    created_field,
    pk_field,
    team_field,
    when_field,
)

# The ledger's names of the kinds of post (scheduler/kinds.py defines each kind).
KIND_PROMPT = "prompt"
KIND_DIGEST = "digest"
KIND_KUDOS = "kudos"

POST_CLAIMED = "claimed"
POST_POSTED = "posted"
POST_FAILED = "failed"
POST_SKIPPED = "skipped"


class CommunitySchedule(SQLModel, table=True):
    """When a community's weekly post of one kind goes out, in its own timezone."""

    __tablename__ = "community_schedule"
    __table_args__ = (UniqueConstraint("community_id", "kind"),)

    id: int | None = pk_field()
    team_id: str = team_field()
    community_id: int = community_fk()
    kind: str = Field(max_length=16)
    weekday: int = Field(default=0)
    minute: int = Field(default=600)
    enabled: bool = Field(default=True)
    updated_at: datetime = created_field()


class ScheduledPost(SQLModel, table=True):
    """The claim ledger: exactly one row, and so one post, per (community, kind, period)."""

    __tablename__ = "scheduled_post"
    __table_args__ = (UniqueConstraint("community_id", "kind", "period"),)

    id: int | None = pk_field()
    team_id: str = team_field()
    community_id: int = community_fk()
    kind: str = Field(max_length=16)
    # ISO week of the local scheduled time, e.g. "2026-W48"
    period: str = Field(max_length=32)
    status: str = Field(default=POST_CLAIMED, max_length=16)
    attempts: int = Field(default=0)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    channel_id: str | None = Field(default=None, max_length=CHANNEL_ID_LEN)
    message_ts: str | None = Field(default=None, max_length=TS_LEN)
    prompt_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("prompt.id", ondelete="SET NULL"), nullable=True),
    )
    claimed_by: str = Field(default="", max_length=200)
    scheduled_for: datetime | None = when_field()
    # when the first claim was made (Slack's clock: where to look for a post that may exist)
    claimed_at: datetime = created_field()
    # a claim whose lease has run out was abandoned (its process died): any tick takes it over
    lease_until: datetime | None = when_field()
    next_attempt_at: datetime | None = when_field()
    posted_at: datetime | None = when_field()
    updated_at: datetime = created_field()
