"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# How far this process runs ahead of real time: zero, except in the sandbox, whose page can
# jump its clock to the next scheduled post (bot/sandbox/clock.py).
_ahead = timedelta(0)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC: every "now" in copbot comes from here."""
    return datetime.now(UTC) + _ahead


def run_ahead(offset: timedelta) -> None:
    """Make utcnow() run `offset` ahead of real time (the sandbox's clock; zero resets)."""
    global _ahead
    _ahead = offset


def ahead() -> timedelta:
    return _ahead


def no_nul(text: str) -> str:
    """`text` without NUL characters, which PostgreSQL text columns cannot hold."""
    return text.replace("\x00", "")


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC on every database and always hands back aware UTC datetimes.

    SQLite keeps no offset, so without this a value read back would compare unequal
    (and unorderable) with the aware value that was written.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)
