"""Local days, weekly slots and ISO weeks in community timezones, across DST changes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.periods import (
    Slot,
    format_slot,
    latest_run,
    local_day_start,
    next_run,
    parse_day,
    parse_time,
    period_key,
    run_time,
    week_bounds,
)

HOUR = timedelta(hours=1)
WEEK = timedelta(days=7)

# (zone, the 2026 day the clocks go forward, the 2026 day they go back)
TRANSITIONS = [
    ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
    ("Europe/Berlin", date(2026, 3, 29), date(2026, 10, 25)),
    ("Australia/Sydney", date(2026, 10, 4), date(2026, 4, 5)),
]
ZONES = [
    *(zone for zone, _, _ in TRANSITIONS),
    "Asia/Kolkata",
    "UTC",
    "Europe/London",
    "America/Los_Angeles",
    "Pacific/Chatham",
    "America/St_Johns",
    "Asia/Kathmandu",
]


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


# What zoneinfo itself says about a day, minute by minute, independent of scheduler.periods.


def _minutes(day: date) -> list[datetime]:
    start = datetime(day.year, day.month, day.day)
    return [start + timedelta(minutes=m) for m in range(24 * 60)]


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    utc = local.replace(tzinfo=zone).astimezone(UTC)
    return utc.astimezone(zone).replace(tzinfo=None) == local


def _skipped(zone: ZoneInfo, day: date) -> list[datetime]:
    return [t for t in _minutes(day) if not _exists(t, zone)]


def _repeated(zone: ZoneInfo, day: date) -> list[datetime]:
    return [
        t
        for t in _minutes(day)
        if _exists(t, zone)
        and t.replace(tzinfo=zone, fold=0).utcoffset() != t.replace(tzinfo=zone, fold=1).utcoffset()
    ]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _slot_at(local: datetime) -> Slot:
    return Slot(local.weekday(), local.hour * 60 + local.minute)


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC)


@pytest.mark.parametrize(("timezone", "forward", "back"), TRANSITIONS)
def test_zoneinfo_agrees_on_the_2026_transition_days(
    timezone: str, forward: date, back: date
) -> None:
    zone = ZoneInfo(timezone)
    assert len(_skipped(zone, forward)) == 60
    assert len(_repeated(zone, back)) == 60
    for day in (forward - timedelta(days=1), back + timedelta(days=1)):
        assert not _skipped(zone, day) and not _repeated(zone, day)


def test_kolkata_has_no_transitions() -> None:
    zone = ZoneInfo("Asia/Kolkata")
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert zone.utcoffset(datetime(day.year, day.month, day.day)) == timedelta(hours=5.5)
        day += timedelta(days=1)
    # the US spring-forward Sunday is an ordinary day there
    slot = Slot(6, 2 * 60 + 30)
    assert run_time(slot, "Asia/Kolkata", date(2026, 3, 2)) == datetime(
        2026, 3, 7, 21, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(("timezone", "forward", "back"), TRANSITIONS)
def test_a_slot_in_the_skipped_hour_runs_at_the_next_valid_minute(
    timezone: str, forward: date, back: date
) -> None:
    zone = ZoneInfo(timezone)
    gap = _skipped(zone, forward)
    first_valid = gap[-1] + timedelta(minutes=1)
    assert _exists(first_valid, zone)
    for local in (gap[0], gap[30], gap[-1]):
        run = run_time(_slot_at(local), timezone, _monday(forward))
        assert run == _utc(first_valid, zone)
        assert run.astimezone(zone).replace(tzinfo=None) == first_valid
    # earlier than zoneinfo's default (fold=0) reading, e.g. 02:30 → 03:30 in New York
    assert run_time(_slot_at(gap[30]), timezone, _monday(forward)) < _utc(gap[30], zone)


def test_the_skipped_hour_in_known_utc_times() -> None:
    half_past_two_on_sunday = Slot(6, 2 * 60 + 30)
    cases = [
        ("America/New_York", date(2026, 3, 2), datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 3, 23), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        ("Australia/Sydney", date(2026, 9, 28), datetime(2026, 10, 3, 16, 0, tzinfo=UTC)),
    ]
    for timezone, monday, expected in cases:
        assert run_time(half_past_two_on_sunday, timezone, monday) == expected


def test_a_half_hour_gap() -> None:
    # Lord Howe Island moves its clocks by 30 minutes: 02:00 → 02:30 on 2026-10-04
    zone = ZoneInfo("Australia/Lord_Howe")
    gap = _skipped(zone, date(2026, 10, 4))
    assert len(gap) == 30
    run = run_time(_slot_at(gap[10]), "Australia/Lord_Howe", date(2026, 9, 28))
    assert run.astimezone(zone).replace(tzinfo=None) == gap[-1] + timedelta(minutes=1)


def _runs_seen(
    slot: Slot, timezone: str, start: datetime, end: datetime, step: timedelta
) -> set[datetime]:
    """Every run latest_run and next_run report while walking from start to end."""
    seen: set[datetime] = set()
    now = start
    while now < end:
        seen |= {latest_run(slot, timezone, now), next_run(slot, timezone, now)}
        now += step
    return seen


@pytest.mark.parametrize(("timezone", "forward", "back"), TRANSITIONS)
def test_a_slot_in_the_repeated_hour_runs_once_at_its_first_occurrence(
    timezone: str, forward: date, back: date
) -> None:
    zone = ZoneInfo(timezone)
    local = _repeated(zone, back)[30]
    slot = _slot_at(local)
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    assert run_time(slot, timezone, _monday(back)) == first
    start, end = week_bounds(timezone, first)
    seen = _runs_seen(slot, timezone, first - 6 * HOUR, first + 6 * HOUR, timedelta(minutes=1))
    assert [run for run in seen if start <= run < end] == [first]
    assert latest_run(slot, timezone, first + HOUR) == first  # the second 01:30 is no run


@pytest.mark.parametrize(("timezone", "forward", "back"), TRANSITIONS)
def test_each_transition_week_has_exactly_one_run(timezone: str, forward: date, back: date) -> None:
    zone = ZoneInfo(timezone)
    for day, minutes in ((forward, _skipped(zone, forward)), (back, _repeated(zone, back))):
        slot = _slot_at(minutes[15])
        start, end = week_bounds(timezone, _utc(minutes[0] - HOUR, zone))
        seen = _runs_seen(slot, timezone, start - HOUR, end + HOUR, timedelta(minutes=5))
        assert len([run for run in seen if start <= run < end]) == 1
        assert period_key(run_time(slot, timezone, _monday(day)), timezone) == period_key(
            start, timezone
        )


@pytest.mark.parametrize(("timezone", "forward", "back"), TRANSITIONS)
def test_ordinary_slots_keep_their_local_time_on_both_sides(
    timezone: str, forward: date, back: date
) -> None:
    zone = ZoneInfo(timezone)
    monday_ten = Slot(0, 10 * 60)
    for day in (forward, back):
        before, after = _monday(day), _monday(day) + WEEK
        runs = [run_time(monday_ten, timezone, monday) for monday in (before, after)]
        for monday, run in zip((before, after), runs, strict=True):
            assert run == _utc(datetime(monday.year, monday.month, monday.day, 10), zone)
            assert run.astimezone(zone).replace(tzinfo=None).hour == 10
        # the UTC time moves by exactly the change in offset
        shift = zone.utcoffset(datetime(after.year, after.month, after.day)) - zone.utcoffset(
            datetime(before.year, before.month, before.day)
        )
        assert runs[1] - runs[0] == WEEK - shift
        assert abs(shift) == HOUR


def test_ordinary_slots_in_known_utc_times() -> None:
    monday_ten = Slot(0, 10 * 60)
    assert run_time(monday_ten, "America/New_York", date(2026, 3, 2)) == datetime(
        2026, 3, 2, 15, 0, tzinfo=UTC
    )
    assert run_time(monday_ten, "America/New_York", date(2026, 3, 9)) == datetime(
        2026, 3, 9, 14, 0, tzinfo=UTC
    )
    assert run_time(monday_ten, "Australia/Sydney", date(2026, 3, 30)) == datetime(
        2026, 3, 29, 23, 0, tzinfo=UTC
    )
    assert run_time(monday_ten, "Australia/Sydney", date(2026, 4, 6)) == datetime(
        2026, 4, 6, 0, 0, tzinfo=UTC
    )


def test_run_time_wants_a_monday() -> None:
    with pytest.raises(ValueError, match="not a Monday"):
        run_time(Slot(0, 600), "UTC", date(2026, 3, 3))


def test_latest_and_next_run_around_a_run() -> None:
    slot = Slot(0, 10 * 60)
    run = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
    assert latest_run(slot, "America/New_York", run) == run
    assert next_run(slot, "America/New_York", run) == run + WEEK
    assert latest_run(slot, "America/New_York", run - timedelta(seconds=1)) == run - WEEK
    assert next_run(slot, "America/New_York", run - timedelta(seconds=1)) == run


def test_next_run_within_the_minute_of_a_run_off_the_minute() -> None:
    """The next run is kept per minute; a run that falls inside a minute (Amsterdam kept
    +01:19:32 in the summer of 1935) is still passed over once `now` lies after it."""
    slot = Slot(0, 10 * 60)
    run = datetime(1935, 6, 3, 8, 40, 28, tzinfo=UTC)  # Monday 10:00 in Amsterdam (summer)
    assert next_run(slot, "Europe/Amsterdam", run - timedelta(seconds=20)) == run
    assert next_run(slot, "Europe/Amsterdam", run + timedelta(seconds=1)) == run + WEEK
    assert next_run(slot, "Europe/Amsterdam", run - timedelta(seconds=1)) == run


_instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31, 23, 59), timezones=st.just(UTC)
)
_slots = st.builds(Slot, st.integers(0, 6), st.integers(0, 24 * 60 - 1))


@settings(max_examples=300, deadline=None)
@given(timezone=st.sampled_from(ZONES), slot=_slots, now=_instants)
def test_runs_step_week_by_week(timezone: str, slot: Slot, now: datetime) -> None:
    zone = ZoneInfo(timezone)
    latest, upcoming = latest_run(slot, timezone, now), next_run(slot, timezone, now)
    assert latest <= now < upcoming
    assert next_run(slot, timezone, latest) == upcoming
    runs = [latest, upcoming]
    for _ in range(2):
        runs.append(next_run(slot, timezone, runs[-1]))
    for earlier, later in pairwise(runs):
        assert abs(later - earlier - WEEK) <= HOUR
        assert period_key(earlier, timezone) != period_key(later, timezone)
        assert (
            _monday(later.astimezone(zone).date())
            == _monday(earlier.astimezone(zone).date()) + WEEK
        )
        assert latest_run(slot, timezone, later - timedelta(microseconds=1)) == earlier
    for run in runs:
        local = run.astimezone(zone)
        assert run == run_time(slot, timezone, _monday(local.date()))
        assert local.weekday() == slot.weekday
        year, week, _ = local.date().isocalendar()
        assert period_key(run, timezone) == f"{year}-W{week:02d}"


@settings(max_examples=300, deadline=None)
@given(timezone=st.sampled_from(ZONES), now=_instants)
def test_week_bounds_hold_now(timezone: str, now: datetime) -> None:
    zone = ZoneInfo(timezone)
    start, end = week_bounds(timezone, now)
    assert start <= now < end
    assert abs(end - start - WEEK) <= HOUR
    assert start.astimezone(zone).replace(tzinfo=None) == datetime.combine(
        _monday(now.astimezone(zone).date()), datetime.min.time()
    )


def test_week_bounds_across_the_berlin_spring_change() -> None:
    start, end = week_bounds("Europe/Berlin", datetime(2026, 3, 29, 12, 0, tzinfo=UTC))
    assert start == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert end - start == WEEK - HOUR


def test_period_keys_are_local_iso_weeks() -> None:
    monday_ten = Slot(0, 10 * 60)
    assert period_key(run_time(monday_ten, "UTC", date(2026, 11, 23)), "UTC") == "2026-W48"
    assert period_key(datetime(2026, 3, 2, 9, tzinfo=UTC), "UTC") == "2026-W10"
    # 2026 has 53 ISO weeks; its last one runs into 2027
    assert period_key(datetime(2026, 12, 31, 12, tzinfo=UTC), "UTC") == "2026-W53"
    assert period_key(datetime(2027, 1, 1, 12, tzinfo=UTC), "UTC") == "2026-W53"
    # Sunday night in UTC is already Monday morning in Kolkata
    sunday_night = datetime(2027, 1, 3, 23, 30, tzinfo=UTC)
    assert period_key(sunday_night, "UTC") == "2026-W53"
    assert period_key(sunday_night, "Asia/Kolkata") == "2027-W01"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("mon", 0),
        ("Monday", 0),
        ("MONDAYS", 0),
        (" tue ", 1),
        ("Tues", 1),
        ("wed", 2),
        ("Wednesday", 2),
        ("thu", 3),
        ("thurs", 3),
        ("fri", 4),
        ("Fridays", 4),
        ("sat", 5),
        ("sun", 6),
        ("Sunday", 6),
        ("tues.", 1),
        ("Mon.", 0),
        ("thurs.", 3),
    ],
)
def test_parse_day_accepts(text: str, day: int) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize("text", ["", "mo", "monday!", "funday", "7", "weekday", "m"])
def test_parse_day_rejects_with_a_friendly_message(text: str) -> None:
    with pytest.raises(ValueError, match="not a day of the week"):
        parse_day(text)


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("10:00", 600),
        ("9:05", 545),
        ("09:05", 545),
        ("0:00", 0),
        ("23:59", 1439),
        ("16:05", 965),
        ("9am", 540),
        ("9 AM", 540),
        ("4:30pm", 990),
        ("12am", 0),
        ("12:15am", 15),
        ("12pm", 720),
        ("11:59pm", 1439),
        ("1am", 60),
        ("1:30pm", 810),
        ("12:59am", 59),
    ],
)
def test_parse_time_accepts(text: str, minute: int) -> None:
    assert parse_time(text) == minute


@pytest.mark.parametrize(
    "text",
    [
        *("16:5", "0930", "930", "24:00", "10:60", "13pm", "0am", "4:3pm", "10", "ten", ""),
        *("10:00:00", "4:60pm", "12:60am"),
    ],
)
def test_parse_time_rejects_with_a_friendly_message(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time"):
        parse_time(text)


def test_format_slot() -> None:
    assert format_slot(Slot(0, 600)) == "Mondays at 10:00"
    assert format_slot(Slot(4, 16 * 60 + 5)) == "Fridays at 16:05"
    assert format_slot(Slot(6, 0)) == "Sundays at 00:00"


def test_slots_are_checked() -> None:
    with pytest.raises(ValueError, match="not a weekly slot: weekday 7, minute 0"):
        Slot(7, 0)
    with pytest.raises(ValueError, match="not a weekly slot: weekday 0, minute 1440"):
        Slot(0, 1440)


@pytest.fixture
def server_in_kolkata(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's own timezone is not UTC, as on a server set to local time."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    assert time.localtime(0).tm_gmtoff == 5.5 * 3600
    yield
    monkeypatch.undo()
    time.tzset()


def test_moments_are_utc_whatever_the_servers_timezone(server_in_kolkata: None) -> None:
    now = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)
    skipped = Slot(6, 2 * 60 + 30)  # 02:30 on the Sunday New York skips
    moments = [
        local_day_start("America/New_York", now),
        run_time(Slot(0, 600), "America/New_York", date(2026, 3, 2)),
        run_time(skipped, "America/New_York", date(2026, 3, 2)),
        *week_bounds("Europe/Berlin", datetime(2026, 3, 29, 12, 0, tzinfo=UTC)),
    ]
    assert [m.utcoffset() for m in moments] == [timedelta(0)] * len(moments)
    assert [m.isoformat() for m in moments] == [
        "2026-11-25T05:00:00+00:00",
        "2026-03-02T15:00:00+00:00",
        "2026-03-08T07:00:00+00:00",
        "2026-03-22T23:00:00+00:00",
        "2026-03-29T22:00:00+00:00",
    ]
