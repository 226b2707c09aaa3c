"""The sandbox's clock: real time plus however far the page has jumped ahead."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from scheduler.periods import Slot, next_run, period_key
from scheduler.tick import due_posts
from storage import db, schedule
from storage.models.community import Community
from storage.types import utcnow

KIND_LABELS = {"prompt": "Weekly prompt", "digest": "Weekly digest", "kudos": "Kudos summary"}


@dataclass(frozen=True)
class Upcoming:
    """The next scheduled post: when, what and for which community."""

    at: datetime
    kind: str
    community: str

    @property
    def label(self) -> str:
        return f"{KIND_LABELS.get(self.kind, self.kind)} of {self.community}"


class SandboxClock:
    """utcnow() moved forward by jumps; never backward."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self._offset = offset
        self._lock = threading.Lock()

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    def now(self) -> datetime:
        return utcnow() + self.offset

    def move_to(self, moment: datetime) -> datetime:
        """Jump to `moment` (or stay, if it has already passed); returns the new now."""
        with self._lock:
            self._offset = max(self._offset, moment - utcnow())
        return self.now()


def next_post(now: datetime) -> Upcoming | None:
    """The post the scheduler will make next: one due now, else the earliest future slot
    whose week has no post yet (a digest posted by hand this week is not coming again)."""
    due = due_posts(now)
    with db.session() as session:
        if due:
            first = session.get(Community, due[0].community_id)
            return Upcoming(now, due[0].kind, first.name if first else "a community")
        best: Upcoming | None = None
        for community, slot in schedule.active_schedules(session=session):
            assert community.id is not None
            weekly = Slot(slot.weekday, slot.minute)
            at = next_run(weekly, community.timezone, now)
            for _ in range(3):
                period = period_key(at, community.timezone)
                if not schedule.get_post(
                    session=session, community_id=community.id, kind=slot.kind, period=period
                ):
                    break
                at = next_run(weekly, community.timezone, at)
            if best is None or at < best.at:
                best = Upcoming(at, slot.kind, community.name)
        return best
