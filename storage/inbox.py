"""The inbox of what Slack sends: recorded before the 200, handled at least once, never twice
in effect.

An event is written (envelope and all) before copbot acknowledges it, so what Slack was told
copbot has is never lost: if the write fails, Slack gets a 5xx and delivers it again. A slash
command or an interaction is written the same way, keyed "trigger <trigger_id>", with the
body Bolt parsed. A row is "pending" while a process holds its lease and handles it, "done"
once handled. A pending one whose lease ran out (the process died, or the database failed
mid-work) is taken by whichever process asks next (`take_due`, `receive` on Slack's own
retry) and handled again; listeners' effects are idempotent (unique constraints, recomputed
counts, a request's token), so handling twice has the effect of once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy
from sqlalchemy import bindparam, delete, update
from sqlalchemy.engine import Dialect
from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.models import InboxEvent
from storage.models.events import INBOX_DONE, INBOX_FAILED, INBOX_PENDING, LANE_BACKGROUND

KEPT = timedelta(hours=24)  # handled events are remembered this long (Slack retries for ~1 h)
FRESH = "fresh"  # first delivery: handle it
RETAKEN = "retaken"  # delivered again after its holder let the lease run out: handle it
SEEN = "seen"  # handled, or being handled: skip it


@dataclass(frozen=True)
class Arrival:
    """One delivery to record: its key, workspace, envelope and lease.

    Args:
        event_id: Slack's event_id, or "trigger <trigger_id>" for a command or interaction.
        team_id: the workspace of the envelope.
        body: the envelope as received.
        lease_until: until when the receiver answers for handling it.
        asked: a command's or interaction's who, where and what (the same when asked again).
        attempts: 1 when the receiver handles it now, 0 when it leaves it for later.
        lane: the work lane that handles it (bot/work.py).
    """

    event_id: str
    team_id: str
    body: str
    lease_until: datetime
    asked: str | None = None
    attempts: int = 1
    lane: str = LANE_BACKGROUND


def receive(
    *,
    session: Session,
    event_id: str,
    team_id: str,
    body: str,
    lease_until: datetime,
    asked: str | None = None,
) -> str:
    """Record a delivery; FRESH or RETAKEN when the caller should handle it, SEEN to skip.

    Args:
        session: the open session (committed here: the row exists before Slack is answered).
        event_id: Slack's event_id.
        team_id: the workspace of the envelope.
        body: the envelope as received.
        lease_until: until when the caller answers for handling it.
        asked: a command's or interaction's who, where and what (the same when asked again).
    """
    arrival = Arrival(event_id, team_id, body, lease_until, asked)
    return receive_many(session=session, arrivals=[arrival])[0]


def receive_many(*, session: Session, arrivals: Sequence[Arrival]) -> list[str]:
    """Record deliveries in one transaction; for each, in order, FRESH or RETAKEN when the
    caller should handle it, SEEN to skip. Of two arrivals with the same key, only the first
    can be FRESH; one left for the takers (attempts 0) is never RETAKEN.

    Args:
        session: the open session (committed here: the rows exist before Slack is answered).
        arrivals: what came in, oldest first.
    """
    if not arrivals:
        return []
    now = utcnow()
    rows = [
        {
            "event_id": a.event_id[:64],
            "team_id": a.team_id[:32],
            "body": a.body,
            "status": INBOX_PENDING,
            "attempts": a.attempts,
            "lease_until": a.lease_until,
            "received_at": now,
            "asked": a.asked,
            "lane": a.lane,
        }
        for a in arrivals
    ]
    inserted = _insert_new(session, rows)
    outcomes = []
    for arrival, row in zip(arrivals, rows, strict=True):
        key = row["event_id"]
        if key in inserted:
            inserted.discard(key)  # a second arrival of the same key in this batch is not new
            outcomes.append(FRESH)
            continue
        if arrival.attempts == 0:
            # left for the takers again: the row already waits for them (or is in hand, or
            # done). Taking an attempt here would let a few quick replays of one signed
            # request use up its attempts before anyone handled it.
            outcomes.append(SEEN)
            continue
        retaken = session.execute(
            update(InboxEvent)
            .where(
                col(InboxEvent.event_id) == key,
                col(InboxEvent.status) == INBOX_PENDING,
                col(InboxEvent.lease_until) < now,
            )
            .values(attempts=InboxEvent.attempts + 1, lease_until=arrival.lease_until)
        )
        outcomes.append(RETAKEN if retaken.rowcount else SEEN)  # type: ignore[attr-defined]
    session.commit()
    return outcomes


_COLUMNS = (
    "event_id",
    "team_id",
    "body",
    "status",
    "attempts",
    "lease_until",
    "received_at",
    "asked",
    "lane",
)
_INSERT = f"INSERT INTO inbox ({', '.join(_COLUMNS)}) VALUES "


def _insert_new(session: Session, rows: Sequence[Mapping[str, object]]) -> set[str]:
    """Insert the rows a unique key does not hold yet; returns the keys inserted.

    Every acknowledgement waits for this, so it is the driver's own SQL (no statement to
    compile, no ORM): on SQLite a statement per row, which costs no round trip and whose
    rowcount says whether it inserted; on PostgreSQL one statement for all, which says so with
    RETURNING. (A Core INSERT of the rows took ten to twenty times as long.)
    """
    connection = session.connection()
    dialect = connection.dialect
    values = [tuple(_bound(dialect, name)(row[name]) for name in _COLUMNS) for row in rows]
    if dialect.name == "sqlite":
        one = _INSERT + "(" + ", ".join("?" * len(_COLUMNS)) + ") ON CONFLICT DO NOTHING"
        return {str(v[0]) for v in values if connection.exec_driver_sql(one, v).rowcount == 1}
    row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    many = _INSERT + ", ".join([row] * len(values)) + " ON CONFLICT DO NOTHING RETURNING event_id"
    flat = tuple(value for v in values for value in v)
    return {key for (key,) in connection.exec_driver_sql(many, flat)}


@functools.cache
def _bound(dialect: Dialect, name: str) -> Callable[[object], object]:
    """How the column `name` hands a value to the driver (SQLite stores times as text)."""
    processor = InboxEvent.__table__.c[name].type.bind_processor(dialect)  # type: ignore[attr-defined]
    return processor or _same


def _same(value: object) -> object:
    return value


def extend_leases(*, session: Session, event_ids: Sequence[str], lease_until: datetime) -> int:
    """The process handling these pending events still is: nobody else takes them before
    `lease_until`. Returns how many were still pending (the others are done or given up).

    Args:
        session: the open session (committed here).
        event_ids: Slack's event_ids.
        lease_until: the new end of their leases.
    """
    result = session.execute(
        update(InboxEvent)
        .where(
            col(InboxEvent.event_id).in_(list(event_ids)), col(InboxEvent.status) == INBOX_PENDING
        )
        .values(lease_until=lease_until)
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def release(*, session: Session, event_ids: Sequence[str], now: datetime) -> int:
    """Pending work this process took and never started (it is stopping): any process may
    take it at once, as the attempt it never made. Returns how many were still pending.

    Args:
        session: the open session (committed here).
        event_ids: the keys given back.
        now: the current time.
    """
    result = session.execute(
        update(InboxEvent)
        .where(
            col(InboxEvent.event_id).in_(list(event_ids)), col(InboxEvent.status) == INBOX_PENDING
        )
        .values(lease_until=now, attempts=InboxEvent.attempts - 1)
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def mark_done(*, session: Session, event_id: str | Sequence[str]) -> None:
    """The work of these keys was handled (committed here).

    Args:
        session: the open session.
        event_id: one key, or many (marked in one statement).
    """
    keys = [event_id] if isinstance(event_id, str) else list(event_id)
    session.connection().execute(_MARK_DONE, {"keys": keys, "now": utcnow()})
    session.commit()


_TABLE = InboxEvent.__table__  # type: ignore[attr-defined]
# a Core statement built once: the ORM's bulk UPDATE costs more than the write itself
_MARK_DONE = (
    update(_TABLE)
    .where(
        _TABLE.c.event_id.in_(bindparam("keys", expanding=True)),
        _TABLE.c.status == INBOX_PENDING,
    )
    .values(status=INBOX_DONE, done_at=bindparam("now"), lease_until=None, error=None)
)


def asked_again(*, session: Session, event_id: str, after: timedelta) -> bool:
    """Whether the person asked for the same thing again once this request could have
    failed before their eyes (`after` it arrived: Slack shows an error when the app has not
    answered in 3 seconds); then it is settled as done instead of being handled, so that it
    is not done twice (committed here). The same thing asked again sooner is two requests.

    Args:
        session: the open session.
        event_id: the request's key ("trigger …").
        after: how long after this request a later one counts as asking again.
    """
    first = session.exec(select(InboxEvent).where(InboxEvent.event_id == event_id)).first()
    if first is None or not first.asked:
        return False
    later = session.exec(
        select(InboxEvent.id).where(
            InboxEvent.team_id == first.team_id,
            InboxEvent.asked == first.asked,
            col(InboxEvent.id) > (first.id or 0),
            col(InboxEvent.received_at) >= first.received_at + after,
        )
    ).first()
    if later is None:
        return False
    first.status, first.done_at, first.lease_until = INBOX_DONE, utcnow(), None
    first.error = "asked again by the person, who saw it fail: not done twice"
    session.add(first)
    session.commit()
    return True


@dataclass(frozen=True)
class Due:
    """Pending work to handle (again)."""

    event_id: str
    body: str
    attempts: int
    lane: str = LANE_BACKGROUND


def due_lanes(*, session: Session, now: datetime) -> set[str]:
    """The lanes with pending work whose lease ran out (or that waits for a taker): a read,
    so a work process with nothing to do costs the database no write.

    Args:
        session: the open session.
        now: the current time.
    """
    return set(session.exec(_DUE_LANES, params={"now": now}))


_DUE_LANES = (
    select(InboxEvent.lane)
    .where(col(InboxEvent.status) == INBOX_PENDING, col(InboxEvent.lease_until) < bindparam("now"))
    .distinct()
)


def take_due(
    *,
    session: Session,
    now: datetime,
    lease_until: datetime,
    max_attempts: int,
    limit: int = 50,
    lane: str | None = None,
    fail_exhausted: bool = True,
) -> list[Due]:
    """Take pending work whose lease ran out, oldest first; others' takes are skipped.

    Work already tried `max_attempts` times is never taken again: it is marked failed (and
    logged by the caller through its error) when `fail_exhausted`. One statement takes what it
    finds: on PostgreSQL the rows are locked with SKIP LOCKED, so any number of processes take
    disjoint sets; SQLite has one writer at a time.

    Args:
        session: the open session (committed here).
        now: the current time.
        lease_until: the lease of what this call takes.
        max_attempts: attempts allowed in all.
        limit: the most taken at once.
        lane: only this lane's work (None: any lane's).
        fail_exhausted: mark what ran out of attempts failed first (a work process does so
            now and then, not at every look).
    """
    table = _TABLE
    expired = [table.c.status == INBOX_PENDING, table.c.lease_until < now]
    if lane is not None:
        expired.append(table.c.lane == lane)
    connection = session.connection()
    if fail_exhausted:
        connection.execute(
            update(table)
            .where(*expired, table.c.attempts >= max_attempts)
            .values(
                status=INBOX_FAILED,
                done_at=now,
                error=f"not handled after {max_attempts} attempts",
            )
        )
    live = [*expired, table.c.attempts < max_attempts]
    # a CTE, which PostgreSQL runs once: a subquery with LIMIT and SKIP LOCKED under IN may
    # run again for each row it is compared with, and take more than `limit`
    picked = (
        sqlalchemy.select(table.c.id)
        .where(*live)
        .order_by(table.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("picked")
    )
    taken = connection.execute(
        update(table)
        .where(table.c.id == picked.c.id, *live)
        .values(attempts=table.c.attempts + 1, lease_until=lease_until)
        .returning(table.c.id, table.c.event_id, table.c.body, table.c.attempts, table.c.lane)
    ).all()
    session.commit()
    return [Due(*row[1:]) for row in sorted(taken)]  # oldest first


def purge_inbox(*, session: Session, now: datetime | None = None) -> int:
    """Delete handled (and given-up) events older than a day; pending ones always stay.

    Args:
        session: the open session (committed here).
        now: the current time, for tests.
    """
    cutoff = (now or utcnow()) - KEPT
    result = session.execute(
        delete(InboxEvent).where(
            col(InboxEvent.received_at) < cutoff, col(InboxEvent.status) != INBOX_PENDING
        )
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]
