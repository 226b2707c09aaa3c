"""Local days in community timezones."""

from __future__ import annotations

from datetime import UTC, datetime

from scheduler.periods import local_day_start


def test_the_local_day_starts_at_local_midnight() -> None:
    now = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)
    assert local_day_start("UTC", now) == datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
    # 03:30 UTC is still the 25th in New York (UTC-5)
    assert local_day_start("America/New_York", now) == datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
    # and already the 26th in Kolkata (UTC+5:30), whose day began at 18:30 UTC
    assert local_day_start("Asia/Kolkata", now) == datetime(2026, 11, 25, 18, 30, tzinfo=UTC)


def test_a_day_that_starts_inside_a_dst_change() -> None:
    # Berlin's spring change is at 02:00; midnight still exists (23:00 UTC the day before)
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert local_day_start("Europe/Berlin", now) == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
