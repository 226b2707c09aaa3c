"""Slack event ids already processed, so a re-delivered event has no second effect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from storage.models.base import created_field, pk_field


class EventReceipt(SQLModel, table=True):
    """One processed event_id (purged after 24 h)."""

    __tablename__ = "event_receipt"
    __table_args__ = (Index("ix_event_receipt_received_at", "received_at"),)

    id: int | None = pk_field()
    event_id: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    team_id: str = Field(default="", max_length=32)
    received_at: datetime = created_field()
