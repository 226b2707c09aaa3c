"""`copbot run`: the door and the work processes, kept running and stopped together.

With COP_WORK_PROCESSES above 0, `copbot run` starts `copbot door` (HTTP through gunicorn, or
Socket Mode), which records what Slack sends and answers, and that many `copbot work`
processes, which do the work (bot/worker.py). Each is a fresh Python process (nothing forks
from here), in this process group, so a signal to the group reaches them all. A work process
that exits is started again, after a pause that grows while it keeps failing; when the door
exits, or on SIGTERM or SIGINT, every process is asked to stop (SIGTERM), given GRACE_SECONDS
to finish what it holds, and then killed. Each child also gets SIGTERM if this process dies
(Linux's parent-death signal), so none is left behind.

Separate processes are what keeps Slack's answers quick under load: Python runs one thread
of a process at a time, so a door sharing its process with busy listeners answers late.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType

log = logging.getLogger("copbot")

GRACE_SECONDS = 40.0  # the door's graceful stop (30 s) and a work process's (20 s), with room
FIRST_PAUSE = 1.0  # before a work process that exited is started again; doubled each time
LONGEST_PAUSE = 60.0
STEADY_SECONDS = 60.0  # a work process up this long is well again: its pause starts over
_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    """One process copbot run keeps.

    Args:
        name: how the log names it ("door", "work 1").
        argv: its command line.
        essential: when it exits, everything stops (the door); else it is started again.
    """

    name: str
    argv: list[str]
    essential: bool
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    pause: float = FIRST_PAUSE
    due: float = 0.0  # when to start it (again)


def copbot_argv(*args: str) -> list[str]:
    """The command line of a copbot subcommand in this Python."""
    return [sys.executable, "-m", "bot.cli", *args]


@dataclass
class Supervisor:
    """Starts `children`, keeps the ones that may be restarted running, stops them all.

    Args:
        children: the processes, the essential one (the door) first.
        grace: seconds each is given to stop before it is killed.
    """

    children: Sequence[Child]
    grace: float = GRACE_SECONDS
    _stop: threading.Event = field(default_factory=threading.Event)
    _code: int = 0

    def run(self) -> int:
        """Run until SIGTERM, SIGINT or the door's exit; returns copbot run's exit code."""
        previous = {sig: signal.signal(sig, self._asked_to_stop) for sig in _STOPS}
        try:
            for child in self.children:
                self._start(child)
            while not self._stop.wait(0.2):
                self._look_after()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("stopped")
        return self._code

    def _asked_to_stop(self, signum: int, frame: FrameType | None) -> None:
        self._stop.set()

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, preexec_fn=_die_with_parent)
        child.started = time.monotonic()

    def _look_after(self) -> None:
        now = time.monotonic()
        for child in self.children:
            if child.process is None:
                if now >= child.due:
                    log.info("starting %s again", child.name)
                    self._start(child)
                continue
            code = child.process.poll()
            if code is None:
                if now - child.started > STEADY_SECONDS:
                    child.pause = FIRST_PAUSE
                continue
            if child.essential:
                log.error("%s exited (%s): stopping copbot", child.name, code)
                self._code = code or 1
                self._stop.set()
                return
            log.warning("%s exited (%s): starting it in %.0f s", child.name, code, child.pause)
            child.process, child.due = None, now + child.pause
            child.pause = min(LONGEST_PAUSE, child.pause * 2)

    def _stop_all(self) -> None:
        alive = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in alive:
            _signal(process, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for process in alive:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("process %s did not stop in %.0f s: killed", process.pid, self.grace)
                _signal(process, signal.SIGKILL)
                process.wait()


_STOPS = (signal.SIGTERM, signal.SIGINT)


def _signal(process: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has just exited
        process.send_signal(sig)


def _die_with_parent() -> None:
    """In the child, before it runs: SIGTERM when copbot run dies (Linux only)."""
    name = ctypes.util.find_library("c")
    if name is None or not sys.platform.startswith("linux"):
        return
    ctypes.CDLL(name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
