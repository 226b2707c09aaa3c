"""Shared model plumbing: constraint naming and column helpers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from storage.clock import utcnow
from storage.types import UTCDateTime

# Deterministic constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TEAM_ID_LEN = 32
USER_ID_LEN = 32
CHANNEL_ID_LEN = 32
TS_LEN = 32
# The message_ts of what copbot records before posting it (command kudos, /cop share), until
# the post's ts replaces it; it stays when Slack never confirmed the post.
PENDING_POST = "pending-"
# The message metadata of those posts, by which a repair finds a post whose answer was lost.
SHARED_KNOWLEDGE_EVENT = "copbot_shared_knowledge"  # payload: {"snippet": id}
KUDOS_EVENT = "copbot_kudos"  # payload: {"pending": the PENDING_POST ts the kudos carry}


def team_field() -> Any:
    """The Slack workspace a row belongs to; every query filters on it."""
    return Field(sa_column=Column(String(TEAM_ID_LEN), nullable=False, index=True))


def created_field() -> Any:
    """A non-null UTC timestamp defaulting to now."""
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


def when_field(*, index: bool = False) -> Any:
    """An optional UTC timestamp."""
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=True, index=index))


def community_fk(*, nullable: bool = False) -> Any:
    """A reference to community.id; rows go with their community."""
    return Field(
        default=None if nullable else ...,
        sa_column=Column(
            Integer,
            ForeignKey("community.id", ondelete="CASCADE"),
            nullable=nullable,
            index=True,
        ),
    )


def pk_field() -> Any:
    return Field(default=None, primary_key=True)


__all__ = ["SQLModel", "created_field", "datetime", "pk_field", "team_field", "when_field"]
