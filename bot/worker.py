"""The work side: this process's lanes running the listeners of what the inbox holds.

A work process (`copbot work`, which `copbot run` starts beside the door) takes, again and
again, the pending work whose lease has run out: what the door left in the inbox for it (due
at once), and what a process that died, or whose database failed mid-work, dropped. It takes
lane by lane, what people wait for first, and no more than its lanes have room for; with
nothing to take it looks again POLL_SECONDS later, with a read that costs no write. When the
door and the work share one process (the sandbox, the tests, COP_WORK_PROCESSES=0) the door
hands work to the worker directly, and the worker takes from the inbox only what did not fit
in its lanes or was dropped.

While work waits in a lane or runs, this process renews its lease (bot.inbox.hold), so no
other takes it over; on stop, work not started yet goes back to the inbox, due at once.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
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
    transient,
)
from bot.recorder import Recorder
from bot.work import BACKGROUND, FORMS, INTERACTIVE, Pools
from storage import db, inbox
from storage.clock import utcnow

log = logging.getLogger("copbot.work")

MAX_QUEUED = 5000  # pieces of work a lane keeps in memory; more wait in the inbox
TAKEN_AT_ONCE = 200  # rows one take claims for a lane, at most
POLL_SECONDS = 0.02  # how soon a work process looks for new work again, when it had some
IDLE_POLL_SECONDS = 0.1  # how seldom it looks once nothing has come for a while
# Slack shows the person an error when the app has not answered in 3 seconds: the same
# request asked again later may be their retry, one asked sooner is a second request
SLACK_GIVES_UP = timedelta(seconds=3)
TAKE_PAUSE = timedelta(milliseconds=200)  # the taker thread's look, when lanes were full
FAIL_EVERY = timedelta(seconds=30)  # how often work out of attempts is marked failed
ANSWER = "copbot_answer"  # context key: the Answer a form's request thread waits on
NOT_TAKEN = "copbot_not_taken_in"  # context key: tell the person it was not taken in
# The lanes work is taken for, in this order. A form's submission is left in the inbox only
# when the process answering it died mid-way: it is done again (its answer is long gone).
TAKEN_FIRST = (INTERACTIVE, FORMS, BACKGROUND)


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


class Worker:
    """Runs the listeners of inbox work on this process's lanes.

    Args:
        app: the Bolt app from create_app() (process_before_response: its listeners run in
            the thread that dispatches to it, a lane's).
        pools: the work lanes.
    """

    def __init__(self, app: App, pools: Pools) -> None:
        self.app = app
        self.pools = pools
        self.recorder = Recorder()  # marks work done (and, in a door's process, records it)
        self._queued: set[str] = set()  # keys handed to a lane and not started yet
        self._lock = threading.Lock()
        self._closed = False
        self._taker: threading.Thread | None = None
        self._wanted = threading.Event()
        self._stopped = threading.Event()
        self._failed_at: datetime | None = None

    # ----- handing work in -----------------------------------------------------------------
    def room(self, lane: str) -> int:
        """How much more work `lane` takes in memory."""
        return max(0, MAX_QUEUED - self.pools[lane].pending)

    def start(
        self,
        key: str,
        body: dict[str, Any],
        *,
        lane: str,
        replay: bool = False,
        answer: Answer | None = None,
    ) -> None:
        """Run the listener of `key`'s work on `lane` (this process answers for it until it
        has run); `replay` when an earlier handling may have begun it."""
        hold(key)
        with self._lock:
            self._queued.add(key)
        if not self._submit(lane, self._work, key, body, replay, answer):
            self._give_back([key])
            if answer is not None:
                answer.give(None)

    def tell_not_taken_in(self, body: dict[str, Any]) -> None:
        """Tell a button's or shortcut's person that the inbox could not take it in (through
        Bolt, for the workspace's client; bot.middleware.not_taken_in)."""
        self._submit(INTERACTIVE, self._tell, body)

    def _submit(self, lane: str, job: Callable[..., Any], *args: Any) -> bool:
        try:
            self.pools[lane].submit(job, *args)
        except RuntimeError:  # the lanes are shut down: this process is stopping
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
            request = BoltRequest(body=body, mode="socket_mode", context=context)
            response = self.app.dispatch(request)
            if response.status == 404:  # no listener for it: nothing to do, ever
                self.recorder.done(key)
        except Exception as exc:  # outside the listeners, which catch their own errors
            response = BoltResponse(status=200, body="")
            if transient(exc):  # the database: it will be handled again
                log.warning("%s not handled (%s): next time", _short(key), error_name(exc))
            else:  # it would fail the same way every time: settled, with its traceback
                log.exception("%s could not be handled: settled, not tried again", _short(key))
                self.recorder.done(key)
        finally:
            drop(key)
        if answer is not None:
            answer.give(response)

    def _tell(self, body: dict[str, Any]) -> None:
        self.app.dispatch(BoltRequest(body=body, mode="socket_mode", context={NOT_TAKEN: True}))

    # ----- taking work from the inbox --------------------------------------------------------
    def take_due(self, *, now: datetime | None = None) -> int:
        """Hand the lanes pending work whose lease ran out, lane by lane and as much as each
        has room for; returns how many were taken.

        Args:
            now: the current time, for tests.
        """
        now = now or utcnow()
        if self._closed:
            return 0
        try:
            with db.session() as session:
                lanes = inbox.due_lanes(session=session, now=now)
                taken: list[inbox.Due] = []
                for lane in TAKEN_FIRST:
                    room = min(TAKEN_AT_ONCE, self.room(lane))
                    if lane not in lanes or room <= 0:
                        continue
                    taken += inbox.take_due(
                        session=session,
                        now=now,
                        lease_until=now + LEASE,
                        max_attempts=MAX_ATTEMPTS,
                        limit=room,
                        lane=lane,
                        fail_exhausted=self._time_to_fail(now),
                    )
        except SQLAlchemyError as exc:
            log.warning("pending work not read (%s): next time", error_name(exc))
            return 0
        for item in taken:
            self._hand_in(item)
        return len(taken)

    def _time_to_fail(self, now: datetime) -> bool:
        """Whether to mark work that ran out of attempts failed now (a write at every look
        would cost a busy SQLite its writer's turn each time)."""
        if self._failed_at is not None and now - self._failed_at < FAIL_EVERY:
            return False
        self._failed_at = now
        return True

    def _hand_in(self, item: inbox.Due) -> None:
        key = item.event_id
        if key.startswith("trigger ") and _asked_again(key):
            log.info("%s: its person asked again, so it is not done twice", _short(key))
            return
        try:
            body = json.loads(item.body)
        except ValueError:
            body = None
        if not isinstance(body, dict):  # nothing copbot wrote: it cannot be done
            self.recorder.done(key)
            return
        again = item.attempts > 1
        if again:
            log.info("handling %s again (attempt %s)", _short(key), item.attempts)
        lane = item.lane if item.lane in self.pools.by_lane else BACKGROUND
        self.start(key, body, lane=lane, replay=again)

    def keep_taking(self, *, poll: float = POLL_SECONDS, idle: float = IDLE_POLL_SECONDS) -> None:
        """A work process's loop: take what is due, then look again at once; when there was
        nothing, after `poll` seconds, slowing down to `idle` while nothing comes (a quiet
        copbot costs the machine next to nothing); until stop_taking."""
        wait = poll
        while not self._stopped.is_set():
            if self.take_due():
                wait = poll
                continue
            self._stopped.wait(wait)
            wait = min(idle, wait * 1.5)

    def wanted(self) -> None:
        """Work was left in the inbox because a lane was full: take it when there is room
        (a thread of this process, started the first time)."""
        self._wanted.set()
        with self._lock:
            if self._taker is None:
                self._taker = threading.Thread(target=self._take_left, name="taker", daemon=True)
                self._taker.start()

    def _take_left(self) -> None:
        pause = TAKE_PAUSE.total_seconds()
        while not self._stopped.is_set():
            self._wanted.wait()
            if self._stopped.wait(pause):
                return
            if min(self.room(lane) for lane in TAKEN_FIRST) < MAX_QUEUED // 4:
                continue  # the lanes are still busy with what they hold
            self._wanted.clear()
            if self.take_due(now=utcnow() + timedelta(seconds=1)):
                self._wanted.set()  # there may be more

    # ----- stopping ------------------------------------------------------------------------
    def stop_taking(self) -> None:
        """keep_taking (and the taker thread) end at their next look."""
        self._stopped.set()
        self._wanted.set()

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until every piece of work handed out has finished and is marked done
        (tests, benchmarks)."""
        self.pools.wait_idle(timeout)
        if not self.recorder.flush(timeout):
            raise AssertionError(f"the inbox's marks not written after {timeout}s")

    def close(self, *, wait: float) -> None:
        """Stop: work not started yet goes back to the inbox, due at once (another process,
        or this one restarted, takes it); running work gets `wait` seconds to finish."""
        self._closed = True
        self.stop_taking()
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


def _asked_again(event_id: str) -> bool:
    try:
        with db.session() as session:
            return inbox.asked_again(session=session, event_id=event_id, after=SLACK_GIVES_UP)
    except SQLAlchemyError as exc:  # handled again, as if nobody had asked twice
        log.warning("could not compare %s (%s)", _short(event_id), error_name(exc))
        return False


def _short(key: str) -> str:
    return key[:28]
