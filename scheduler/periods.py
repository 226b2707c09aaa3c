"""Calendar maths in a community's own timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def local_day_start(timezone: str, now: datetime) -> datetime:
    """The UTC moment the local day containing `now` began in `timezone`.

    Args:
        timezone: an IANA timezone name.
        now: an aware datetime.
    """
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    midnight = datetime(local.year, local.month, local.day, tzinfo=zone)
    return midnight.astimezone(UTC)


def days_ago(now: datetime, days: int) -> datetime:
    """`days` whole days before `now`."""
    return now - timedelta(days=days)
