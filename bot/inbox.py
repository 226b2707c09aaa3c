"""The inbox at the door: what Slack sends recorded before Slack is answered, settled once
handled, and handled again when it was dropped (a crash, a database failure mid-work).

An Events API delivery is written by `record_events`, Bolt middleware, before the listener
runs (a 503 when it cannot, so Slack delivers it again); one already handled or in hand is
skipped. A slash command or an interaction is written by its listener's `ack()`
(`RecordingAck`, put in place by bot.errors.guarded) just before Slack gets its 200: Slack
never sends those again, and one whose 200 never went out was shown to the person as failed,
so only what was acknowledged is worth doing again. One whose trigger_id was seen is a
replay of a signed request and is skipped.

`held` keeps the lease while the listener runs, however slowly Slack answers it, so no process
takes over work that is merely slow. `settle` runs after each listener (guarded calls both):
the work is done, unless the database failed, in which case it stays pending and `redo_due`
(a job of `copbot run` in every process, every scheduler.runner.REDO_SECONDS) hands it to the
app again once its lease has run out. A command handed in again answers through its
response_url, which Slack keeps for 30 minutes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
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
# how far back a second handling looks for the first one's post (it comes within minutes)
REDONE_WITHIN = timedelta(hours=1)
HELD = "copbot_inbox_event"  # context key: the event this request is handling
REPLAY = "copbot_inbox_replay"  # context key: set when redo_due hands an event in again
REFUSED_IN_FORM = "copbot_inbox_refused_in_form"  # context key: the form itself said so
NOT_TAKEN_IN = (
    ":warning: copbot couldn't take that in just now (its database didn't answer), so "
    "nothing was done. Please try again in a moment."
)
NOT_TAKEN_IN_FIELD = "copbot couldn't save this just now. Please submit again in a moment."


def record_events(
    req: BoltRequest, body: dict[str, Any], context: BoltContext, next: Callable[[], None]
) -> BoltResponse | None:
    """Record an Events API delivery before it is acknowledged, and skip one seen already.
    A command or interaction is recorded later, by its ack() (`RecordingAck`)."""
    replayed = context.get(REPLAY)
    if replayed:  # redo_due holds it already
        context[HELD] = replayed
        next()
        return None
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id:
        return _record_event(req, body, context, next, str(event_id))
    next()
    return None


def _record_event(
    req: BoltRequest,
    body: dict[str, Any],
    context: BoltContext,
    next: Callable[[], None],
    event_id: str,
) -> BoltResponse | None:
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


class NotRecorded(Exception):
    """A command or interaction could not be written to the inbox: it is not done, and the
    person is told so (Slack never sends it again)."""


class Replayed(Exception):
    """A command or interaction whose trigger_id was seen before: a replay, not done again."""


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
    """Whether this is redo_due handing in work an earlier handling dropped."""
    return bool(context is not None and context.get(REPLAY))


class RecordingAck:
    """A listener's ack(), which first writes its command or interaction to the inbox.

    Raises NotRecorded (after acknowledging, so Slack shows no error of its own) when the
    database cannot take it, and Replayed when it was seen before. A request handed in again
    by redo_due is held already and only acknowledged.
    """

    def __init__(self, ack: Any, body: dict[str, Any], context: BoltContext) -> None:
        self._ack = ack
        self._body = body
        self._context = context

    @property
    def response(self) -> Any:
        return getattr(self._ack, "response", None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        key = request_key(self._body)
        if key and not self._context.get(HELD):
            self._record(key)
        return self._ack(*args, **kwargs)

    def _record(self, key: str) -> None:
        try:
            with db.session() as session:
                outcome = inbox.receive(
                    session=session,
                    event_id=key,
                    team_id=str(self._context.team_id or ""),
                    body=json.dumps(self._body),
                    lease_until=utcnow() + LEASE,
                    asked=what_was_asked(self._body),
                )
        except SQLAlchemyError as exc:
            log.warning("request %s not recorded (%s): not done", key[:28], _name(exc))
            self._refuse()
            raise NotRecorded() from exc
        if outcome == inbox.SEEN:
            log.info("skipping a replayed request (%s)", key[:28])
            self._ack()
            raise Replayed()
        self._context[HELD] = key
        _LEASES.hold(key)

    def _refuse(self) -> None:
        """Acknowledge what was not taken in: a form stays open, saying so under a field."""
        view = self._body.get("view") if self._body.get("type") == "view_submission" else None
        blocks = view.get("blocks") if isinstance(view, dict) else None
        field = next(
            (
                b.get("block_id")
                for b in blocks or []
                if isinstance(b, dict) and b.get("type") == "input" and b.get("block_id")
            ),
            None,
        )
        if field:
            self._ack(response_action="errors", errors={field: NOT_TAKEN_IN_FIELD})
            self._context[REFUSED_IN_FORM] = True
        else:
            self._ack()


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
    """While a listener handles the work of `context`, its lease is renewed (`_Leases`):
    from the start for an event, from its ack() for a command or interaction."""
    taken = context.get(HELD) if context is not None else None
    if taken:
        _LEASES.hold(str(taken))
    try:
        yield
    finally:
        held_now = context.get(HELD) if context is not None else None
        if held_now:  # an event's from the start, or what RecordingAck took
            _LEASES.drop(str(held_now))


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
        if item.event_id.startswith("trigger ") and _asked_again(item.event_id):
            log.info("%s: its person asked again, so it is not done twice", item.event_id[:28])
            continue
        log.info("handling event %s again (attempt %s)", item.event_id, item.attempts)
        request = BoltRequest(body=item.body, mode="socket_mode", context={REPLAY: item.event_id})
        response = app.dispatch(request)
        if response.status == 404:  # no listener for it: nothing to do, ever
            settle({HELD: item.event_id})
    return len(due)


def _asked_again(event_id: str) -> bool:
    try:
        with db.session() as session:
            return inbox.asked_again(session=session, event_id=event_id)
    except SQLAlchemyError as exc:  # handled again, as if nobody had asked twice
        log.warning("could not compare %s (%s)", event_id[:28], _name(exc))
        return False


def _name(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    return type(cause).__name__
