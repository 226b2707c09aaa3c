"""Writing what Slack sends to the inbox before Slack is answered, many requests at a time.

Each request thread hands its arrival to one writer thread and waits until it is committed.
The writer records everything that came in while it was committing the previous batch in
one transaction (group commit): under load, a hundred acknowledgements cost one INSERT and
one commit instead of a hundred writers queueing for SQLite's single write lock (or for a
hundred PostgreSQL round trips). When nothing else is arriving a batch is one request, so a
quiet copbot answers as soon as its row is written.

The same writer marks handled work done, in one UPDATE for all that finished meanwhile;
nobody waits for those marks. One lost with the process only means the work is handled
again once its lease runs out, which has the effect of once (bot/inbox.py).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from bot.inbox import error_name, transient
from storage import db, inbox

log = logging.getLogger("copbot.inbox")

MAX_BATCH = 200  # rows in one INSERT: well under SQLite's 32,766 parameters
# A request thread gives up waiting after this long and answers as if the database had not
# answered (Slack allows 3 seconds); its row may still be written, and is then redone.
WAIT_SECONDS = 2.5


class NotRecorded(Exception):
    """The inbox could not take a request in: it is not done, and Slack (for an event) or the
    person (for a command or interaction) is told so."""


@dataclass
class _Waiting:
    arrival: inbox.Arrival
    done: threading.Event = field(default_factory=threading.Event)
    outcome: str | None = None
    error: BaseException | None = None


@dataclass
class _Done:
    key: str


@dataclass
class _Flush:
    """Set once everything queued before it is written."""

    done: threading.Event = field(default_factory=threading.Event)


_Item = _Waiting | _Done | _Flush


class Recorder:
    """The one writer of arrivals in this process; `record` blocks until its row is in."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._own = db.OwnConnection()  # the writer thread's alone
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def record(self, arrival: inbox.Arrival) -> str:
        """Record one arrival; FRESH or RETAKEN to handle it, SEEN to skip it.

        Raises:
            NotRecorded: the database failed, or did not answer in time.
        """
        waiting = _Waiting(arrival)
        self._ensure_running()
        self._queue.put(waiting)
        if not waiting.done.wait(WAIT_SECONDS):
            raise NotRecorded(f"the database took over {WAIT_SECONDS}s")
        if waiting.error is not None:
            raise NotRecorded(error_name(waiting.error)) from waiting.error
        assert waiting.outcome is not None
        return waiting.outcome

    def done(self, key: str) -> None:
        """The work of `key` was handled: mark it so, with what else finishes meanwhile."""
        self._ensure_running()
        self._queue.put(_Done(key))

    def flush(self, timeout: float = 30.0) -> bool:
        """Block until everything queued so far is written; False if it took longer."""
        flush = _Flush()
        self._ensure_running()
        self._queue.put(flush)
        return flush.done.wait(timeout)

    def stop(self) -> None:
        """Let the writer finish what it holds and end (for a process shutting down)."""
        with self._lock:
            if self._thread is not None:
                self._queue.put(None)
                self._thread.join(timeout=5)
                self._thread = None

    def _ensure_running(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="inbox writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                self._own.close()
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(more)
            self._write([i for i in batch if isinstance(i, _Waiting)])
            self._mark([i.key for i in batch if isinstance(i, _Done)])
            for item in batch:
                if isinstance(item, _Flush):
                    item.done.set()

    def _write(self, batch: Sequence[_Waiting]) -> None:
        if not batch:
            return
        try:
            arrivals = [w.arrival for w in batch]
            outcomes = self._own.run(
                lambda session: inbox.receive_many(session=session, arrivals=arrivals)
            )
        except SQLAlchemyError as exc:
            if len(batch) > 1 and not transient(exc):
                # one arrival the database refuses must not refuse the others with it
                for waiting in batch:
                    self._write([waiting])
                return
            log.warning("%s arrivals not recorded (%s)", len(batch), error_name(exc))
            for waiting in batch:
                waiting.error = exc
                waiting.done.set()
            return
        for waiting, outcome in zip(batch, outcomes, strict=True):
            waiting.outcome = outcome
            waiting.done.set()

    def _mark(self, keys: list[str]) -> None:
        if not keys:
            return
        try:
            self._own.run(lambda session: inbox.mark_done(session=session, event_id=keys))
        except SQLAlchemyError as exc:  # their leases run out and they are handled again
            log.warning(
                "%s handled, not marked (%s): they will be again", len(keys), error_name(exc)
            )
