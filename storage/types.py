"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


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
