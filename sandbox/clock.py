"""The sandbox's clock: real time plus however far the page has jumped ahead."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.text import counted
from scheduler.kinds import BY_NAME
from scheduler.periods import next_run, period_key
from scheduler.slots import weekly_slots
from scheduler.tick import due_posts
from storage import db, schedule
from storage.clock import ahead, run_ahead, utcnow
from storage.markup import visible
from storage.models.community import Community


@dataclass(frozen=True)
class Upcoming:
    """The next scheduled post: when, what and for which community."""

    at: datetime
    kind: str
    community: str
    others: int = 0  # more posts due at the same moment

    @property
    def label(self) -> str:
        kind = BY_NAME.get(self.kind)
        label = f"{kind.label if kind else self.kind} of {self.community}"
        if self.others:
            label += f" and {counted(self.others, 'more post')}"
        return label


class SandboxClock:
    """The whole process's clock (storage.clock.utcnow), moved forward by jumps, never back.

    copbot's own "now" follows it, so what people do after a jump is dated after the jump
    and lands in the next digest, as it would a week later in Slack.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @property
    def offset(self) -> timedelta:
        return ahead()

    def now(self) -> datetime:
        return utcnow()

    def move_to(self, moment: datetime) -> datetime:
        """Jump to `moment` (or stay, if it has already passed); returns the new now."""
        with self._lock:
            real = utcnow() - ahead()
            run_ahead(max(ahead(), moment - real))
        return self.now()

    def reset(self) -> None:
        """Back to real time (when the sandbox stops: the process may go on, as in tests)."""
        run_ahead(timedelta(0))


def next_post(now: datetime) -> Upcoming | None:
    """The post the scheduler will make next: one due now, else the earliest future slot
    whose week has no post yet (a digest posted by hand this week is not coming again)."""
    due = due_posts(now)
    with db.session() as session:
        if due:
            community = session.get(Community, due[0].community_id)
            name = visible(community.name) if community else "a community"
            return Upcoming(now, due[0].kind, name, others=len(due) - 1)
        coming: list[Upcoming] = []
        for community, rows in schedule.unpaused_schedules(session=session):
            assert community.id is not None
            for weekly in weekly_slots(community, rows):
                if not weekly.enabled:
                    continue
                kind = weekly.kind.name
                at = next_run(weekly.slot, community.timezone, now)
                for _ in range(3):
                    period = period_key(at, community.timezone)
                    if not schedule.get_post(
                        session=session, community_id=community.id, kind=kind, period=period
                    ):
                        break
                    at = next_run(weekly.slot, community.timezone, at)
                coming.append(Upcoming(at, kind, visible(community.name)))
    if not coming:
        return None
    soonest = min(coming, key=lambda upcoming: upcoming.at)
    together = sum(1 for upcoming in coming if upcoming.at == soonest.at)
    return Upcoming(soonest.at, soonest.kind, soonest.community, others=together - 1)
