"""Calendar maths in a community's own timezone: local days, weekly slots and ISO weeks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ALIASES = {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_WEEK = timedelta(days=7)
_TIME_24H = re.compile(r"(\d{1,2}):(\d{2})")
_TIME_12H = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?")


@dataclass(frozen=True)
class Slot:
    """A weekly time in a community's local time."""

    weekday: int  # Monday = 0 … Sunday = 6
    minute: int  # minute of the local day, 0 … 1439

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6 or not 0 <= self.minute < 24 * 60:
            raise ValueError(f"not a weekly slot: weekday {self.weekday}, minute {self.minute}")


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


def _to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """Naive local time as aware UTC: the first occurrence if repeated, the gap's end if skipped."""
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == local:
        return first
    # Skipped: fold=0 and fold=1 read `local` with the offsets either side of the transition,
    # so the transition instant (the gap's end) lies between the two; bisect to the second.
    other = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = min(first, other), max(first, other)
    offset = low.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle.astimezone(zone).utcoffset() == offset:
            low = middle
        else:
            high = middle
    return high


def _monday_of(timezone: str, now: datetime) -> date:
    """The local Monday of the ISO week containing `now`."""
    local = now.astimezone(ZoneInfo(timezone)).date()
    return local - timedelta(days=local.weekday())


def run_time(slot: Slot, timezone: str, week_monday: date) -> datetime:
    """The aware-UTC moment `slot` runs in the ISO week whose local Monday is `week_monday`.

    A slot in a skipped hour runs at the first local minute after the gap; a slot in a
    repeated hour runs at its first occurrence.

    Args:
        slot: the weekly slot, in local time.
        timezone: the community's IANA timezone name.
        week_monday: the local date of the week's Monday.
    """
    if week_monday.weekday() != 0:
        raise ValueError(f"{week_monday} is not a Monday")
    day = week_monday + timedelta(days=slot.weekday)
    local = datetime.combine(day, time(slot.minute // 60, slot.minute % 60))
    return _to_utc(local, ZoneInfo(timezone))


def _runs_around(slot: Slot, timezone: str, now: datetime) -> list[datetime]:
    monday = _monday_of(timezone, now)
    return [run_time(slot, timezone, monday + weeks * _WEEK) for weeks in range(-2, 3)]


def latest_run(slot: Slot, timezone: str, now: datetime) -> datetime:
    """The most recent run time of `slot` at or before `now`, in aware UTC.

    Args:
        slot: the weekly slot, in local time.
        timezone: the community's IANA timezone name.
        now: an aware datetime.
    """
    return max(run for run in _runs_around(slot, timezone, now) if run <= now)


def next_run(slot: Slot, timezone: str, now: datetime) -> datetime:
    """The earliest run time of `slot` strictly after `now`, in aware UTC.

    App Home and /cop info ask this for every community a person is in: the answer for the
    start of `now`'s minute is kept, and stands whenever it lies after `now` itself (the
    earliest run after the minute began is then the earliest after `now`).

    Args:
        slot: the weekly slot, in local time.
        timezone: the community's IANA timezone name.
        now: an aware datetime.
    """
    minute = now.astimezone(UTC).replace(second=0, microsecond=0)
    upcoming = _next_run_in_minute(slot, timezone, minute)
    if upcoming > now:
        return upcoming
    return _next_run_after(slot, timezone, now)


def _next_run_after(slot: Slot, timezone: str, now: datetime) -> datetime:
    return min(run for run in _runs_around(slot, timezone, now) if run > now)


_next_run_in_minute = lru_cache(maxsize=4096)(_next_run_after)


def period_key(run_at: datetime, timezone: str) -> str:
    """The ISO week of the local date of `run_at`, e.g. "2026-W48" (ISO year, padded week).

    Args:
        run_at: an aware run time.
        timezone: the community's IANA timezone name.
    """
    year, week, _ = run_at.astimezone(ZoneInfo(timezone)).date().isocalendar()
    return f"{year}-W{week:02d}"


def _week_from(monday: date, timezone: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(timezone)
    start = datetime.combine(monday, time())
    return _to_utc(start, zone), _to_utc(start + _WEEK, zone)


def week_bounds(timezone: str, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) in aware UTC of the local ISO week (Monday 00:00 to Monday 00:00) with `now`.

    Args:
        timezone: the community's IANA timezone name.
        now: an aware datetime.
    """
    return _week_from(_monday_of(timezone, now), timezone)


def parse_day(text: str) -> int:
    """A weekday number (Monday = 0) from "mon", "Monday", "mondays", "thurs" and the like.

    Args:
        text: what the user typed.
    """
    word = text.strip().lower().rstrip(".")
    for number, name in enumerate(DAY_NAMES):
        if word in (name.lower(), name.lower() + "s", name[:3].lower()):
            return number
    if word in _DAY_ALIASES:
        return _DAY_ALIASES[word]
    raise ValueError(f"“{text.strip()}” is not a day of the week: try Monday, tue or fri.")


def parse_time(text: str) -> int:
    """The minute of the day from "10:00", "9:05", "9am", "4:30pm", "12am" (0:00) or "12pm".

    Args:
        text: what the user typed.
    """
    word = text.strip().lower()
    if match := _TIME_24H.fullmatch(word):
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            return hour * 60 + minute
    elif match := _TIME_12H.fullmatch(word):
        hour, minute = int(match[1]), int(match[2] or 0)
        if 1 <= hour <= 12 and minute < 60:
            return (hour % 12 + (12 if match[3] == "p" else 0)) * 60 + minute
    raise ValueError(f"“{text.strip()}” is not a time: try 10:00, 16:30, 9am or 4:30pm.")


def format_slot(slot: Slot) -> str:
    """A slot as people read it, e.g. "Mondays at 10:00".

    Args:
        slot: the weekly slot.
    """
    return f"{DAY_NAMES[slot.weekday]}s at {slot.minute // 60:02d}:{slot.minute % 60:02d}"
