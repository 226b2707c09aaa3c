"""A community's schedule in local words: next runs and last posts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.blocks.schedule import ScheduleLine
from scheduler.periods import Slot, next_run
from storage import schedule
from storage.models import Community


def local_time(moment: datetime, timezone: str) -> str:
    """ "Mon 30 Nov 10:00" in the community's timezone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%a %d %b %H:%M")


def schedule_lines(session: Session, community: Community, now: datetime) -> list[ScheduleLine]:
    """Each kind's slot, next run and last post, for /cop info and /cop schedule."""
    assert community.id is not None
    lines = []
    for row in schedule.schedules_of(session=session, community_id=community.id):
        upcoming = next_run(Slot(row.weekday, row.minute), community.timezone, now)
        last = schedule.last_post(session=session, community_id=community.id, kind=row.kind)
        lines.append(
            ScheduleLine(
                kind=row.kind,
                weekday=row.weekday,
                minute=row.minute,
                enabled=row.enabled,
                next_run=local_time(upcoming, community.timezone),
                last_post=local_time(last.posted_at, community.timezone)
                if last is not None and last.posted_at is not None
                else "",
            )
        )
    return lines
