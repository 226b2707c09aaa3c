"""Where copbot's work runs once Slack has its answer: bounded pools, one per lane.

A lane is a kind of work with its own threads, so one kind never waits behind another:

- `forms`: modal submissions, whose answer (errors under a field, a new view) Slack waits for;
- `interactive`: what a person is waiting to see (commands, buttons, shortcuts, App Home, a
  mention);
- `background`: what nobody is waiting on (messages, reactions, joins and leaves).

A flood of message events fills the background lane's queue; a command still starts at once.
Threads are bounded (the database pool is sized to them: storage.db.pool_size_for); queues are
bounded by the door, which leaves what does not fit in the inbox for later (bot.door).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger("copbot.work")

FORMS = "forms"
INTERACTIVE = "interactive"
BACKGROUND = "background"
LANES = (FORMS, INTERACTIVE, BACKGROUND)
FORM_THREADS = 4  # a form's submission is quick, and rare


class WorkPool(ThreadPoolExecutor):
    """A thread pool that knows how much of its work is waiting or running, can wait until
    none is, and logs and keeps the latest of what its jobs raised (nothing should: the
    worker catches what its jobs raise)."""

    def __init__(self, lane: str, threads: int) -> None:
        super().__init__(max_workers=threads, thread_name_prefix=f"work-{lane}")
        self.lane = lane
        self.threads = threads
        self._pending = 0
        self._idle = threading.Condition()
        self.errors: deque[BaseException] = deque(maxlen=100)  # the latest, for tests

    @property
    def pending(self) -> int:
        """Jobs submitted and not finished: queued or running."""
        return self._pending

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except RuntimeError:  # shut down: the caller leaves the work in the inbox
            self._finished()
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any]) -> None:
        error = None if future.cancelled() else future.exception()
        if error is not None:  # our bug: the worker catches what its jobs raise
            log.error("work on the %s lane raised", self.lane, exc_info=error)
            self.errors.append(error)
        self._finished()

    def _finished(self) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until every submitted job has finished; False if some still run after
        `timeout` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)


class Pools:
    """The three lanes of one process.

    Args:
        threads: threads of the interactive lane and of the background lane, each.
    """

    def __init__(self, threads: int) -> None:
        self.by_lane = {
            FORMS: WorkPool(FORMS, FORM_THREADS),
            INTERACTIVE: WorkPool(INTERACTIVE, threads),
            BACKGROUND: WorkPool(BACKGROUND, threads),
        }

    def __getitem__(self, lane: str) -> WorkPool:
        return self.by_lane[lane]

    def __iter__(self) -> Iterator[WorkPool]:
        return iter(self.by_lane.values())

    @property
    def errors(self) -> list[BaseException]:
        return [error for pool in self for error in pool.errors]

    @property
    def pending(self) -> int:
        return sum(pool.pending for pool in self)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until no lane has work left (a job may start another: waited for too).

        Raises:
            AssertionError: some work is still running after `timeout` seconds.
        """
        end = time.monotonic() + timeout
        while True:
            for pool in self:
                if not pool.wait_idle(max(0.0, end - time.monotonic())):
                    raise AssertionError(f"work still running after {timeout}s")
            if self.pending == 0:
                return

    def shutdown(self, *, wait: bool) -> None:
        """Stop taking work; what was queued and not started is dropped (the door gives it
        back to the inbox first); with `wait`, running work finishes."""
        for pool in self:
            pool.shutdown(wait=wait, cancel_futures=True)
