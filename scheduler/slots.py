"""A community's weekly slots, one per kind: the stored schedule, or the kind's default.

The tick asks which slots are due, `/cop info`, `/cop schedule` and App Home show them in
local words, and the sandbox's clock asks which comes next; all read them from here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.blocks.schedule import ScheduleLine
from scheduler.kinds import KINDS, PostKind
from scheduler.periods import Slot, next_run
from storage import schedule
from storage.models import Community

log = logging.getLogger("copbot.scheduler")


class StoredSlot(Protocol):
    """A stored schedule row (storage.models.CommunitySchedule, or schedule.ScheduleRow)."""

    @property
    def community_id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def weekday(self) -> int: ...
    @property
    def minute(self) -> int: ...
    @property
    def enabled(self) -> bool: ...
    @property
    def updated_at(self) -> datetime: ...


class Scheduled(Protocol):
    """What slots read of a community (storage.models.Community, or a Membership)."""

    @property
    def timezone(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


@dataclass(frozen=True)
class WeeklySlot:
    """When one kind goes out in a community, and since when that has been so."""

    kind: PostKind
    slot: Slot
    enabled: bool
    since: datetime


def weekly_slots(community: Scheduled, rows: Sequence[StoredSlot]) -> list[WeeklySlot]:
    """Every kind's slot in `community`, in the order of KINDS.

    Args:
        community: the community.
        rows: its stored schedule rows (rows of kinds copbot no longer has are ignored).
    """
    stored = {row.kind: row for row in rows}
    slots = []
    for kind in KINDS:
        row = stored.get(kind.name)
        if row is None:
            slots.append(WeeklySlot(kind, kind.default_slot, True, community.created_at))
        else:
            slots.append(WeeklySlot(kind, _slot_of(row, kind), row.enabled, row.updated_at))
    return slots


def _slot_of(row: StoredSlot, kind: PostKind) -> Slot:
    try:
        return Slot(row.weekday, row.minute)
    except ValueError:  # a row damaged before forms were checked: the default slot stands
        log.warning(
            "community %s: the %s slot %s/%s is no weekly slot; its default is used",
            row.community_id,
            kind.name,
            row.weekday,
            row.minute,
        )
        return kind.default_slot


def community_slots(session: Session, community: Community) -> list[WeeklySlot]:
    """The slots of one community."""
    assert community.id is not None
    return weekly_slots(
        community, schedule.schedules_of(session=session, community_id=community.id)
    )


def local_time(moment: datetime, timezone: str) -> str:
    """ "Mon 30 Nov 10:00" in the community's timezone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%a %d %b %H:%M")


def next_runs(
    communities: Sequence[tuple[Scheduled, Sequence[StoredSlot]]],
    now: datetime,
    kinds: Sequence[str],
) -> list[dict[str, datetime | None]]:
    """For each community (with its stored schedule rows), the next run of each of `kinds`,
    None for a kind switched off: what schedule_lines says of them, without reading the last
    posts. Communities on the same slot and timezone (most of a workspace's) share one
    calculation.

    Args:
        communities: each community with its rows (schedule.schedules_of).
        now: the current time.
        kinds: the kinds' names.
    """
    known: dict[tuple[Slot, str], datetime] = {}
    runs = []
    for community, rows in communities:
        upcoming: dict[str, datetime | None] = {}
        for weekly in weekly_slots(community, rows):
            if weekly.kind.name not in kinds:
                continue
            key = (weekly.slot, community.timezone)
            if weekly.enabled and key not in known:
                known[key] = next_run(weekly.slot, key[1], now)
            upcoming[weekly.kind.name] = known[key] if weekly.enabled else None
        runs.append(upcoming)
    return runs


def schedule_lines(session: Session, community: Community, now: datetime) -> list[ScheduleLine]:
    """Each kind's slot, next run and last post, for /cop info, /cop schedule and App Home."""
    assert community.id is not None
    lines = []
    for weekly in community_slots(session, community):
        upcoming = next_run(weekly.slot, community.timezone, now)
        last = schedule.last_post(session=session, community_id=community.id, kind=weekly.kind.name)
        lines.append(
            ScheduleLine(
                kind=weekly.kind.name,
                label=weekly.kind.label,
                weekday=weekly.slot.weekday,
                minute=weekly.slot.minute,
                enabled=weekly.enabled,
                next_run=local_time(upcoming, community.timezone),
                last_post=local_time(last.posted_at, community.timezone)
                if last is not None and last.posted_at is not None
                else "",
            )
        )
    return lines
