"""The one "now" of copbot: real UTC time, or ahead of it when the sandbox's clock has jumped.

Every timestamp copbot writes and every "is it due yet" it asks comes from `utcnow()`, so
the sandbox (sandbox/clock.py) can move the whole process forward to the next scheduled
post with `run_ahead`. In production the offset is always zero.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_ahead = timedelta(0)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (plus the sandbox's offset, if any)."""
    return datetime.now(UTC) + _ahead


def run_ahead(offset: timedelta) -> None:
    """Make utcnow() run `offset` ahead of real time; timedelta(0) is real time again.

    Args:
        offset: how far ahead; the sandbox only ever moves it forward.
    """
    global _ahead
    _ahead = offset


def ahead() -> timedelta:
    """How far utcnow() runs ahead of real time."""
    return _ahead
