"""The door: what a request thread does with each request Slack sends, and nothing more.

The request was verified before it got here (bot/gate.py over HTTP; Slack's own connection in
Socket Mode). The door records it in the inbox (bot.recorder: one transaction for every
request that arrived meanwhile) and answers; its work runs afterwards on a work pool
(bot.work), as Bolt would run a lazy listener, but on copbot's bounded lanes:

- an event, a slash command, a button or a shortcut is answered with an empty 200 as soon
  as it is recorded (a command's reply comes through its response_url);
- a form's submission is answered with what its listener acknowledges (errors under a field,
  a new view); the request thread waits for that on the forms lane, behind nothing else;
- anything else (Slack's url_verification, an ssl_check) goes straight to Bolt.

A request seen before (a re-delivered event, a replayed trigger_id) is answered and not done.
One the inbox cannot take gets a 503 (an event: Slack sends it again) or is refused to the
person in plain words (a command or interaction: Slack never sends those again).

When a lane already holds MAX_QUEUED pieces of work, more work is left in the inbox instead of
memory, due at once: this process (or any other replica) takes it from there as soon as a lane
has room (`redo_due`). Nothing acknowledged is lost, and memory stays bounded under a flood.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.request.internals import extract_team_id
from sqlalchemy.exc import SQLAlchemyError

from bot.inbox import (
    HELD,
    LEASE,
    MARKS,
    MAX_ATTEMPTS,
    REPLAY,
    drop,
    error_name,
    hold,
    request_key,
    what_was_asked,
)
from bot.recorder import NotRecorded, Recorder
from bot.work import BACKGROUND, FORMS, INTERACTIVE, Pools
from storage import db, inbox
from storage.clock import utcnow

log = logging.getLogger("copbot.door")

MAX_QUEUED = 5000  # pieces of work a lane keeps in memory; more wait in the inbox
FORM_ANSWER_SECONDS = 2.5  # Slack waits 3 seconds for a form's answer
# Events whose work a person is waiting to see: they go in the interactive lane.
INTERACTIVE_EVENTS = frozenset({"app_home_opened", "app_mention"})
ANSWER = "copbot_answer"  # context key: the Answer a form's request thread waits on
NOT_TAKEN = "copbot_not_taken_in"  # context key: tell the person it was not taken in
NOT_TAKEN_IN = (
    ":warning: copbot couldn't take that in just now (its database didn't answer), so "
    "nothing was done. Please try again in a moment."
)
NOT_TAKEN_IN_FIELD = "copbot couldn't save this just now. Please submit again in a moment."
OK = 200


def lane_of(body: dict[str, Any]) -> str:
    """The lane a request's work runs in (bot.work)."""
    if body.get("type") == "event_callback":
        event = body.get("event")
        kind = event.get("type") if isinstance(event, dict) else None
        return INTERACTIVE if kind in INTERACTIVE_EVENTS else BACKGROUND
    return FORMS if body.get("type") == "view_submission" else INTERACTIVE


def key_of(body: dict[str, Any]) -> str | None:
    """The inbox key of a request: an event's event_id, a command's or interaction's
    trigger_id; None for what goes straight to Bolt."""
    if body.get("type") == "event_callback":
        event_id = body.get("event_id")
        return str(event_id)[:64] if isinstance(event_id, str) and event_id else None
    return request_key(body)


class Answer:
    """What a form's listener acknowledged, handed to the request thread that waits for it."""

    def __init__(self) -> None:
        self._given = threading.Event()
        self.response: BoltResponse | None = None

    def give(self, response: BoltResponse | None) -> None:
        if not self._given.is_set():
            self.response = response
            self._given.set()

    def wait(self, seconds: float) -> BoltResponse | None:
        return self.response if self._given.wait(seconds) else None


class Door:
    """Records, answers and hands out the work of every request to one Bolt app.

    Args:
        app: the Bolt app from create_app() (process_before_response: its listeners run in
            the thread that dispatches to it, a work pool's).
        pools: the work lanes.
    """

    def __init__(self, app: App, pools: Pools) -> None:
        self.app = app
        self.pools = pools
        self.recorder = Recorder()
        self._queued: set[str] = set()  # keys handed to a lane and not started yet
        self._lock = threading.Lock()
        self._closed = False
        self._refill = _Refill(self)

    # ----- the request thread -------------------------------------------------------------
    def receive(
        self, body: dict[str, Any], *, raw: str, inline: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Answer one verified request and start its work.

        Args:
            body: the request's payload, parsed.
            raw: its body as Slack sent it (JSON for events), or "" to store `body` as JSON.
            inline: dispatches the request to Bolt in this thread, for what the door leaves
                to Bolt (url_verification, ssl_check).
        """
        key = key_of(body)
        if key is None:
            return inline()
        lane = lane_of(body)
        spill = lane != FORMS and self.pools[lane].pending >= MAX_QUEUED
        now = utcnow()
        arrival = inbox.Arrival(
            event_id=key,
            team_id=str(extract_team_id(body) or ""),
            body=raw if raw and body.get("type") == "event_callback" else json.dumps(body),
            lease_until=now if spill else now + LEASE,
            asked=what_was_asked(body),
            attempts=0 if spill else 1,
        )
        try:
            outcome = self.recorder.record(arrival)
        except NotRecorded as exc:
            log.warning("%s not recorded (%s): not done", _short(key), exc)
            return self._not_taken_in(body, lane)
        if outcome == inbox.SEEN:
            again = "re-delivered event" if key == body.get("event_id") else "replayed request"
            log.info("skipping %s %s", again, _short(key))
            return BoltResponse(status=OK, body="")
        if spill:
            self._refill.wanted()
            return BoltResponse(status=OK, body="")
        if lane == FORMS:
            return self._answer_form(key, body)
        self._start(key, body, lane=lane)
        return BoltResponse(status=OK, body="")

    def _answer_form(self, key: str, body: dict[str, Any]) -> BoltResponse:
        answer = Answer()
        self._start(key, body, lane=FORMS, answer=answer)
        response = answer.wait(FORM_ANSWER_SECONDS)
        if response is None:
            log.warning("a form's answer took over %ss: closing it", FORM_ANSWER_SECONDS)
            return BoltResponse(status=OK, body="")
        return response

    def _not_taken_in(self, body: dict[str, Any], lane: str) -> BoltResponse:
        """The inbox could not take the request in: nothing will be done, and whoever sent
        it hears so (Slack by a 503 for an event, the person in words for the rest)."""
        if body.get("type") == "event_callback":
            return BoltResponse(status=503, body="")
        if body.get("command"):
            return BoltResponse(
                status=OK, body={"response_type": "ephemeral", "text": NOT_TAKEN_IN}
            )
        field = _first_field(body) if lane == FORMS else None
        if field:
            return BoltResponse(
                status=OK, body={"response_action": "errors", "errors": {field: NOT_TAKEN_IN_FIELD}}
            )
        # a button or a shortcut: told privately, through Bolt for the workspace's token
        self._submit(INTERACTIVE, self._tell_not_taken_in, body)
        return BoltResponse(status=OK, body="")

    # ----- the work ----------------------------------------------------------------------
    def _start(
        self,
        key: str,
        body: dict[str, Any],
        *,
        lane: str,
        replay: bool = False,
        answer: Answer | None = None,
    ) -> None:
        hold(key)
        with self._lock:
            self._queued.add(key)
        if not self._submit(lane, self._work, key, body, replay, answer):
            self._give_back([key])
            if answer is not None:
                answer.give(None)

    def _submit(self, lane: str, job: Callable[..., Any], *args: Any) -> bool:
        try:
            self.pools[lane].submit(job, *args)
        except RuntimeError:  # the pools are shut down: this process is stopping
            return False
        return True

    def _work(self, key: str, body: dict[str, Any], replay: bool, answer: Answer | None) -> None:
        with self._lock:
            self._queued.discard(key)
        context: dict[str, Any] = {HELD: key, MARKS: self.recorder}
        if replay:
            context[REPLAY] = key
        if answer is not None:
            context[ANSWER] = answer
        try:
            response = self.app.dispatch(
                BoltRequest(body=body, mode="socket_mode", context=context)
            )
            if response.status == 404:  # no listener for it: nothing to do, ever
                self.recorder.done(key)
            if answer is not None:
                answer.give(response)
        finally:
            drop(key)

    def _tell_not_taken_in(self, body: dict[str, Any]) -> None:
        self.app.dispatch(BoltRequest(body=body, mode="socket_mode", context={NOT_TAKEN: True}))

    # ----- work left in the inbox ----------------------------------------------------------
    def room(self) -> int:
        """How much more work the fullest of the interactive and background lanes takes."""
        fullest = max(self.pools[INTERACTIVE].pending, self.pools[BACKGROUND].pending)
        return max(0, MAX_QUEUED - fullest)

    def redo_due(self, *, now: datetime | None = None, limit: int = 500) -> int:
        """Hand the lanes pending work whose lease ran out (a process died or the database
        failed mid-work, or it was left in the inbox under a flood); returns how many.

        Args:
            now: the current time, for tests.
            limit: the most taken at once (fewer when the lanes are full).
        """
        now = now or utcnow()
        room = min(limit, self.room())
        if room <= 0 or self._closed:
            return 0
        try:
            with db.session() as session:
                due = inbox.take_due(
                    session=session,
                    now=now,
                    lease_until=now + LEASE,
                    max_attempts=MAX_ATTEMPTS,
                    limit=room,
                )
        except SQLAlchemyError as exc:
            log.warning("pending work not read (%s): next time", error_name(exc))
            return 0
        for item in due:
            if item.event_id.startswith("trigger ") and _asked_again(item.event_id):
                log.info(
                    "%s: its person asked again, so it is not done twice", _short(item.event_id)
                )
                continue
            try:
                body = json.loads(item.body)
            except ValueError:
                body = None
            if not isinstance(body, dict):  # nothing copbot wrote: it cannot be done
                self.recorder.done(item.event_id)
                continue
            log.info("handling %s again (attempt %s)", _short(item.event_id), item.attempts)
            self._start(item.event_id, body, lane=lane_of(body), replay=item.attempts > 1)
        return len(due)

    # ----- stopping ------------------------------------------------------------------------
    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until every piece of work handed out has finished and is marked done
        (tests, benchmarks)."""
        self.pools.wait_idle(timeout)
        if not self.recorder.flush(timeout):
            raise AssertionError(f"the inbox's marks not written after {timeout}s")

    def close(self, *, wait: float) -> None:
        """Stop: work not started yet goes back to the inbox, due at once (another replica,
        or this one restarted, takes it); running work gets `wait` seconds to finish."""
        self._closed = True
        self._refill.stop()
        self.pools.shutdown(wait=False)
        with self._lock:
            left = list(self._queued)
            self._queued.clear()
        self._give_back(left)
        for pool in self.pools:
            pool.wait_idle(wait)
        self.recorder.stop()

    def _give_back(self, keys: list[str]) -> None:
        if not keys:
            return
        for key in keys:
            drop(key)
        try:
            with db.session() as session:
                inbox.release(session=session, event_ids=keys, now=utcnow())
        except SQLAlchemyError as exc:  # their leases run out by themselves
            log.warning("%s pieces of work not given back (%s)", len(keys), error_name(exc))
        else:
            log.info("%s pieces of work given back to the inbox", len(keys))


class _Refill:
    """Takes the work left in the inbox under a flood as soon as the lanes have room."""

    PAUSE = timedelta(milliseconds=200)

    def __init__(self, door: Door) -> None:
        self._door = door
        self._wanted = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def wanted(self) -> None:
        self._wanted.set()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="door refill", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._wanted.set()

    def _run(self) -> None:
        pause = self.PAUSE.total_seconds()
        while not self._stopped.is_set():
            self._wanted.wait()
            if self._stopped.wait(pause):
                return
            if self._door.room() < MAX_QUEUED // 4:
                continue  # the lanes are still busy with what they hold
            self._wanted.clear()
            if self._door.redo_due(now=utcnow() + timedelta(seconds=1)):
                self._wanted.set()  # there may be more


def _asked_again(event_id: str) -> bool:
    try:
        with db.session() as session:
            return inbox.asked_again(session=session, event_id=event_id)
    except SQLAlchemyError as exc:  # handled again, as if nobody had asked twice
        log.warning("could not compare %s (%s)", _short(event_id), error_name(exc))
        return False


def _first_field(body: dict[str, Any]) -> str | None:
    view = body.get("view")
    blocks = view.get("blocks") if isinstance(view, dict) else None
    return next(
        (
            b["block_id"]
            for b in blocks or []
            if isinstance(b, dict) and b.get("type") == "input" and b.get("block_id")
        ),
        None,
    )


def _short(key: str) -> str:
    return key[:28]
