"""Kudos: one person thanking another."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import (
    CHANNEL_ID_LEN,
    TS_LEN,
    USER_ID_LEN,
    community_fk,
    created_field,
    pk_field,
    team_field,
)

KUDOS_COMMAND = "command"
KUDOS_REACTION = "reaction"


class Kudos(SQLModel, table=True):
    """Thanks from a giver to a receiver, by command or by reaction on a message."""

    __tablename__ = "kudos"
    __table_args__ = (
        # A re-delivered reaction or command can never record the same thanks twice.
        UniqueConstraint(
            "team_id", "source", "channel_id", "message_ts", "giver_id", "receiver_id"
        ),
        Index("ix_kudos_community_created", "community_id", "created_at"),
    )

    id: int | None = pk_field()
    team_id: str = team_field()
    community_id: int = community_fk()
    giver_id: str = Field(sa_column=Column(String(USER_ID_LEN), nullable=False, index=True))
    receiver_id: str = Field(sa_column=Column(String(USER_ID_LEN), nullable=False, index=True))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    source: str = Field(default=KUDOS_COMMAND, max_length=16)
    channel_id: str = Field(default="", max_length=CHANNEL_ID_LEN)
    # the message thanked (reaction) or the public thanks copbot posted (command)
    message_ts: str = Field(default="", max_length=TS_LEN)
    created_at: datetime = created_field()
