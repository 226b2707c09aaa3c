"""The inbox at the door: each event recorded before Slack is answered, settled once handled,
and handled again when it was dropped (a crash, a database failure mid-work).

`record_events` is Bolt middleware: it writes the event to storage.inbox (a 503 when it
cannot, so Slack delivers it again) and skips one already handled or in hand. `held` keeps
the event's lease while its listener runs, however slowly Slack answers it, so no process
takes over work that is merely slow. `settle` runs after each listener (bot.errors.guarded
calls both): the event is done, unless the database failed, in which case it stays pending
and `redo_due` (a job of `copbot run` in every process, every scheduler.runner.REDO_SECONDS)
hands it to the app again once its lease has run out.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from storage import db, inbox
from storage.clock import utcnow

log = logging.getLogger("copbot.inbox")

# How long a process answers for an event it took without saying it still does: while its
# listener runs the lease is renewed (`held`), so only a dead process's events are taken over.
LEASE = timedelta(minutes=2)
RENEWALS_PER_LEASE = 4
MAX_ATTEMPTS = 5
HELD = "copbot_inbox_event"  # context key: the event this request is handling
REPLAY = "copbot_inbox_replay"  # context key: set when redo_due hands an event in again


def record_events(
    req: BoltRequest, body: dict[str, Any], context: BoltContext, next: Callable[[], None]
) -> BoltResponse | None:
    """Record an Events API delivery before it is acknowledged; skip one seen already, and a
    command or interaction whose trigger_id was seen (a replay of a signed request)."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id:
        return _record_event(req, body, context, next, str(event_id))
    trigger = body.get("trigger_id")
    if isinstance(trigger, str) and trigger and _replayed(trigger, str(context.team_id or "")):
        log.info("skipping a replayed request (trigger %s)", trigger[:20])
        return BoltResponse(status=200, body="")
    next()
    return None


def _record_event(
    req: BoltRequest,
    body: dict[str, Any],
    context: BoltContext,
    next: Callable[[], None],
    event_id: str,
) -> BoltResponse | None:
    replayed = context.get(REPLAY)
    if replayed:  # redo_due holds it already
        context[HELD] = replayed
        next()
        return None
    envelope = req.raw_body or json.dumps(body)
    try:
        with db.session() as session:
            outcome = inbox.receive(
                session=session,
                event_id=event_id,
                team_id=str(body.get("team_id") or ""),
                body=envelope,
                lease_until=utcnow() + LEASE,
            )
    except SQLAlchemyError as exc:
        log.warning("event %s not recorded (%s): Slack will send it again", event_id, _name(exc))
        return BoltResponse(status=503, body="")
    if outcome == inbox.SEEN:
        log.info("skipping re-delivered event %s", event_id)
        return BoltResponse(status=200, body="")
    context[HELD] = event_id
    next()
    return None


def _replayed(trigger_id: str, team_id: str) -> bool:
    try:
        with db.session() as session:
            return not inbox.first_time(
                session=session, key=f"trigger {trigger_id}", team_id=team_id
            )
    except SQLAlchemyError as exc:  # the command will meet the same database: let it say so
        log.warning("could not check trigger %s (%s)", trigger_id[:20], _name(exc))
        return False


class _Leases:
    """The events this process is handling, their leases renewed together by one thread.

    A listener waiting on a slow or rate-limited Slack can run longer than LEASE (each call
    waits out Retry-After up to 30 s, and times out after 15 s, and is tried again); without
    renewal another process (or this one's redo_due) would hand the event in a second time
    while the first handling is still sending its welcome or its answer. One thread sleeps
    until the oldest held event has had a fraction of its lease, then renews in one statement
    every event that has; most events are done before they cost it anything.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._since: dict[str, float] = {}  # event_id -> when it was taken or last renewed
        self._holds: Counter[str] = Counter()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def hold(self, event_id: str) -> None:
        with self._lock:
            self._holds[event_id] += 1
            self._since.setdefault(event_id, time.monotonic())
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="inbox leases", daemon=True)
                self._thread.start()
        self._wake.set()  # the thread plans its next renewal with this event in view

    def drop(self, event_id: str) -> None:
        with self._lock:
            self._holds[event_id] -= 1
            if self._holds[event_id] <= 0:
                del self._holds[event_id]
                self._since.pop(event_id, None)

    def _run(self) -> None:
        while True:
            every = (LEASE / RENEWALS_PER_LEASE).total_seconds()
            with self._lock:
                soonest = min(self._since.values(), default=None)
            # asleep until the oldest held event needs renewing, or a new one is held
            self._wake.wait(None if soonest is None else soonest + every - time.monotonic())
            self._wake.clear()
            now = time.monotonic()
            with self._lock:
                due = [e for e, since in self._since.items() if now - since >= every]
            if not due:
                continue
            try:
                with db.session() as session:
                    inbox.extend_leases(
                        session=session, event_ids=due, lease_until=utcnow() + LEASE
                    )
            except SQLAlchemyError as exc:  # the next round may get through; settle says the rest
                log.warning("leases of %s events not renewed (%s)", len(due), _name(exc))
            with self._lock:  # renewed, or tried: the next round is a fraction of a lease away
                for event_id in due:
                    if event_id in self._since:
                        self._since[event_id] = now


_LEASES = _Leases()


@contextmanager
def held(context: Any) -> Iterator[None]:
    """While a listener handles the event of `context`, its lease is renewed (`_Leases`)."""
    event_id = context.get(HELD) if context is not None else None
    if not event_id:
        yield
        return
    _LEASES.hold(str(event_id))
    try:
        yield
    finally:
        _LEASES.drop(str(event_id))


def transient(error: BaseException) -> bool:
    """Whether an error is the database being unreachable or busy (worth doing again)."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def settle(context: Any, error: BaseException | None = None) -> bool:
    """After a listener: its event is done, unless the database failed (then it will be
    handled again). Returns True when it will be handled again, so nobody is told to retry."""
    event_id = context.get(HELD) if context is not None else None
    if not event_id:
        return False
    if error is not None and transient(error):
        log.warning("event %s will be handled again: %s", event_id, _name(error))
        return True
    try:
        with db.session() as session:
            inbox.mark_done(session=session, event_id=event_id)
    except SQLAlchemyError as exc:
        log.warning("event %s handled, not marked (%s): it will be again", event_id, _name(exc))
        return error is None
    return False


def redo_due(app: App, *, now: datetime | None = None) -> int:
    """Hand the app every pending event whose lease ran out; returns how many.

    Args:
        app: the Bolt app (its listeners run as for a delivery from Slack).
        now: the current time, for tests.
    """
    now = now or utcnow()
    try:
        with db.session() as session:
            due = inbox.take_due(
                session=session, now=now, lease_until=now + LEASE, max_attempts=MAX_ATTEMPTS
            )
    except SQLAlchemyError as exc:
        log.warning("pending events not read (%s): next time", _name(exc))
        return 0
    for item in due:
        log.info("handling event %s again (attempt %s)", item.event_id, item.attempts)
        request = BoltRequest(body=item.body, mode="socket_mode", context={REPLAY: item.event_id})
        response = app.dispatch(request)
        if response.status == 404:  # no listener for it: nothing to do, ever
            settle({HELD: item.event_id})
    return len(due)


def _name(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    return type(cause).__name__
