"""The inbox's rules for what copbot was sent: its keys, its leases, and settling it.

Every event, command and interaction is written to the inbox (storage/inbox.py) by the door
(bot/door.py) before Slack is answered, then handled on a worker's lane (bot/worker.py).
While it waits in a lane and while its listener runs, that process renews its lease (`hold`
and `drop`), however slowly Slack answers, so no process takes over work that is merely
queued or slow. `settle` runs after each listener (bot.errors.guarded calls it): the work is
done, unless the database failed, in which case it stays pending and a worker hands it in
again once its lease has run out (`Worker.take_due`). A command handed in again answers
through its response_url, which Slack keeps for 30 minutes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from storage import db, inbox
from storage.clock import utcnow

log = logging.getLogger("copbot.inbox")

# How long a process answers for an event it took without saying it still does: while its
# listener runs the lease is renewed (`held`), so only a dead process's events are taken over.
LEASE = timedelta(minutes=2)
RENEWALS_PER_LEASE = 4
MAX_ATTEMPTS = 5
# how far back a second handling looks for the first one's post (it comes within minutes)
REDONE_WITHIN = timedelta(hours=1)
HELD = "copbot_inbox_event"  # context key: the inbox key of the work a listener handles
REPLAY = "copbot_inbox_replay"  # context key: set when work is handed in a second time
MARKS = "copbot_inbox_marks"  # context key: what marks work done (bot.recorder.Recorder)


def request_key(body: dict[str, Any]) -> str | None:
    """The inbox key of a command or interaction (its trigger_id), None for anything else."""
    trigger = body.get("trigger_id")
    if body.get("type") == "event_callback" or not isinstance(trigger, str) or not trigger:
        return None
    return f"trigger {trigger}"[:64]


def request_token(body: dict[str, Any]) -> str:
    """A name for what one command or interaction does, the same every time it is handled:
    its effects carry it (the placeholder ts of a pending post, a ledger period), so a second
    handling finds the first one's work instead of doing it again."""
    trigger = body.get("trigger_id")
    if isinstance(trigger, str) and trigger:
        return hashlib.sha256(trigger.encode()).hexdigest()[:20]
    return uuid.uuid4().hex[:20]


def what_was_asked(body: dict[str, Any]) -> str | None:
    """Who asked what where, in a command or interaction: the same when the person asks again
    (a command typed again, a button clicked again, a form submitted again), whatever its new
    trigger_id; None for anything else."""
    user = body.get("user_id") or _part(body, "user").get("id")
    if not user or request_key(body) is None:
        return None
    if body.get("command"):
        parts: list[Any] = [body.get("channel_id"), body.get("command"), body.get("text")]
    else:
        view, message = _part(body, "view"), _part(body, "message")
        actions = body.get("actions")
        actions = actions if isinstance(actions, list) else []
        parts = [
            body.get("type"),
            body.get("callback_id"),
            message.get("ts"),
            view.get("id"),
            (view.get("state") or {}).get("values"),
            [(a.get("action_id"), a.get("value")) for a in actions if isinstance(a, dict)],
        ]
    text = json.dumps([body.get("team_id") or "", user, *parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _part(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    return value if isinstance(value, dict) else {}


def handed_in_again(context: Any) -> bool:
    """Whether this handling follows an earlier one that was dropped mid-work."""
    return bool(context is not None and context.get(REPLAY))


class _Leases:
    """The events this process is handling, their leases renewed together by one thread.

    A listener waiting on a slow or rate-limited Slack can run longer than LEASE (each call
    waits out Retry-After up to 30 s, and times out after 15 s, and is tried again); without
    renewal another process (or this one's worker) would hand the event in a second time
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
                log.warning("leases of %s events not renewed (%s)", len(due), error_name(exc))
            with self._lock:  # renewed, or tried: the next round is a fraction of a lease away
                for event_id in due:
                    if event_id in self._since:
                        self._since[event_id] = now


_LEASES = _Leases()


def hold(key: str) -> None:
    """This process answers for `key` (queued or running): its lease is renewed until `drop`."""
    _LEASES.hold(key)


def drop(key: str) -> None:
    """This process no longer answers for `key` (handled, or given back)."""
    _LEASES.drop(key)


def transient(error: BaseException) -> bool:
    """Whether an error is the database being unreachable or busy (worth doing again)."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def settle(context: Any, error: BaseException | None = None) -> bool:
    """After a listener: its work is done (marked by the door's writer, `context[MARKS]`),
    unless the database failed, in which case it will be handled again. Returns True when
    it will be, so nobody is told to retry."""
    key = context.get(HELD) if context is not None else None
    if not key:
        return False
    if error is not None and transient(error):
        log.warning("%s will be handled again: %s", key, error_name(error))
        return True
    context[MARKS].done(key)
    return False


def error_name(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    return type(cause).__name__
