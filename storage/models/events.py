"""The inbox: every event, command and interaction Slack sends, recorded before copbot
answers, until it is handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel

from storage.models.base import created_field, pk_field, when_field

INBOX_PENDING = "pending"  # recorded; being handled, or to be handled again
INBOX_DONE = "done"  # handled (kept a day: a re-delivery is recognised and skipped)
INBOX_FAILED = "failed"  # given up after its attempts (kept for operators, then purged)
LANE_BACKGROUND = "background"  # bot.work.BACKGROUND: what nobody waits on


class InboxEvent(SQLModel, table=True):
    """One Events API delivery by its event_id, or a command or interaction by its trigger_id
    ("trigger …"): the de-duplication and the durable queue."""

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ix_inbox_status_lease_until", "status", "lease_until"),
        Index("ix_inbox_received_at", "received_at"),
        Index("ix_inbox_team_id_asked", "team_id", "asked"),
        Index("ix_inbox_status_lane_lease_until", "status", "lane", "lease_until"),
    )

    id: int | None = pk_field()
    event_id: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    team_id: str = Field(default="", max_length=32)
    # the envelope as Slack sent it (JSON), to handle it again after a crash or an outage
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default=INBOX_PENDING, max_length=16)
    attempts: int = Field(default=1)
    # whoever holds a pending event answers for it until then; after, any process redoes it
    lease_until: datetime | None = when_field()
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    received_at: datetime = created_field()
    done_at: datetime | None = when_field()
    # a command's or interaction's who, where and what (bot.inbox.what_was_asked): the same
    # when the person asks again after seeing it fail, so it is not then done twice
    asked: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    # which work lane handles it (bot/work.py): work left here is taken lane by lane
    lane: str = Field(
        default=LANE_BACKGROUND,
        sa_column=Column(String(16), nullable=False, server_default=LANE_BACKGROUND),
    )
