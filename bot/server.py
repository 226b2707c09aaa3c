"""HTTP mode in production: copbot's door served by gunicorn's threaded workers (`gthread`).

`copbot door --http` (which `copbot run` starts) checks the token in the master process, then
gunicorn forks COP_HTTP_WORKERS workers. Each worker builds its own engine, Bolt app and door
after the fork (nothing with a thread or a connection crosses a fork), serves /slack/events,
/healthz and the OAuth pages with COP_HTTP_THREADS request threads, and on SIGTERM stops
taking connections and answers the requests it holds; the master then exits 0. When the door
does the work too (COP_WORK_PROCESSES=0) each worker also runs its lanes and the scheduler,
gives work it never started back to the inbox and lets running work finish.

The sandbox, the tests and the benchmarks serve the same WSGI app (bot/http.py) with the light
server there instead: one process they can start on a free port and look inside.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from bot.http import LISTEN_BACKLOG, MAX_CONNECTIONS, REQUEST_DEADLINE_SECONDS, cut

log = logging.getLogger("copbot.server")

WORKER_TIMEOUT_SECONDS = 30  # a worker silent this long is killed and replaced by the master
GRACEFUL_SECONDS = 30  # after SIGTERM, what a worker may take to finish before it is killed
KEEPALIVE_SECONDS = 5


class Served:
    """What one worker serves, and how it stops.

    Args:
        wsgi: the WSGI app (bot.http.CopbotWSGI; a benchmark's baseline serves another).
        stop: called once when the worker stops (after its requests are answered).
    """

    def __init__(self, wsgi: Callable[..., Any], stop: Callable[[], None]) -> None:
        self.wsgi = wsgi
        self.stop = stop


class CopbotServer(BaseApplication):
    """gunicorn, configured in code, serving what `build` makes in each worker.

    Args:
        build: makes a worker's app after the fork (called once per worker).
        host: interface to bind.
        port: TCP port.
        workers: worker processes.
        threads: request threads per worker.
        log_level: gunicorn's own log level (copbot's LOG_LEVEL).
    """

    def __init__(
        self,
        build: Callable[[], Served],
        *,
        host: str,
        port: int,
        workers: int,
        threads: int,
        log_level: str = "INFO",
    ) -> None:
        self._build = build
        self._served: Served | None = None
        self._options: dict[str, Any] = {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "bot.server.CopbotWorker",
            # Slack's requests are small and answered in milliseconds: a burst waits in the
            # kernel's queue rather than being refused
            "backlog": LISTEN_BACKLOG,
            "worker_connections": MAX_CONNECTIONS,
            "timeout": WORKER_TIMEOUT_SECONDS,
            "graceful_timeout": GRACEFUL_SECONDS,
            "keepalive": KEEPALIVE_SECONDS,
            "preload_app": False,  # each worker builds its app after the fork
            "accesslog": None,  # one line per request is noise at Slack's volume
            "logger_class": "bot.server.CopbotLogs",
            "loglevel": log_level.lower(),
            "control_socket_disable": True,  # one per user: two copbots on a host would clash
            "proc_name": "copbot",
            "worker_exit": self._worker_exit,
        }
        super().__init__()

    def load_config(self) -> None:
        assert self.cfg is not None
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> Callable[..., Any]:
        """In each worker, after the fork: build what it serves."""
        self._served = self._build()
        return self._served.wsgi

    def _worker_exit(self, server: Any, worker: Any) -> None:
        if self._served is not None:
            self._served.stop()
            self._served = None


class CopbotLogs(glogging.Logger):
    """gunicorn's own lines in copbot's format: they go to the handler bot.logs set up."""

    def setup(self, cfg: Any) -> None:
        self.cfg = cfg
        self.error_log.setLevel(self.LOG_LEVELS.get(cfg.loglevel.lower(), logging.INFO))
        self.error_log.propagate = True
        self.access_log.disabled = True


class CopbotWorker(ThreadWorker):
    """gunicorn's threaded worker, with a deadline on every connection: one is cut
    REQUEST_DEADLINE_SECONDS after a thread took it up, however slowly its bytes trickle in
    (gunicorn only bounds the wait for a connection's first byte)."""

    def init_process(self) -> None:
        self.deadlines = Deadlines(REQUEST_DEADLINE_SECONDS)
        super().init_process()

    def handle(self, conn: Any) -> Any:
        ticket = self.deadlines.watch(conn.sock)
        try:
            return super().handle(conn)
        finally:
            self.deadlines.forget(ticket)


class Deadlines:
    """Cuts each watched socket `seconds` after it was watched, unless forgotten first: one
    thread for every connection, instead of a timer thread each."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._heap: list[tuple[float, int]] = []
        self._watched: dict[int, socket.socket] = {}
        self._count = itertools.count()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="deadlines", daemon=True)
        self._thread.start()

    def watch(self, sock: socket.socket) -> int:
        ticket = next(self._count)
        with self._lock:
            self._watched[ticket] = sock
            heapq.heappush(self._heap, (time.monotonic() + self.seconds, ticket))
        return ticket

    def forget(self, ticket: int) -> None:
        with self._lock:
            self._watched.pop(ticket, None)

    def _run(self) -> None:
        while True:
            time.sleep(1.0)
            now = time.monotonic()
            late = []
            with self._lock:
                while self._heap and self._heap[0][0] <= now:
                    _, ticket = heapq.heappop(self._heap)
                    sock = self._watched.pop(ticket, None)
                    if sock is not None:
                        late.append(sock)
            for sock in late:
                cut(sock)
