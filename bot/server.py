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

import errno
import heapq
import itertools
import logging
import selectors
import socket
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import TConn, ThreadWorker

from bot.gate import MAX_BODY_BYTES
from bot.http import LISTEN_BACKLOG, MAX_CONNECTIONS, REQUEST_DEADLINE_SECONDS, cut

log = logging.getLogger("copbot.server")

WORKER_TIMEOUT_SECONDS = 30  # a worker silent this long is killed and replaced by the master
GRACEFUL_SECONDS = 30  # after SIGTERM, what a worker may take to finish before it is killed
KEEPALIVE_SECONDS = 5  # also the longest a request may take to arrive (Slack waits 3 s)
READ_AHEAD_CHUNK = 64 * 1024
MAX_HEADER_BYTES = 64 * 1024  # more than gunicorn's limits: it refuses such requests itself
# What a worker's poller holds at most of requests still arriving: Slack's are a few KB, so
# only hundreds of large bodies trickling in at once (an attack) come near it.
READ_AHEAD_BUDGET = 64 * 1024 * 1024


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
    """gunicorn's own lines in copbot's format: they go to the handler bot.logs set up. A
    request gunicorn cannot parse is anybody's junk, not worth a warning each (an outsider
    wrote 11,000 lines in 5 seconds so): DEBUG, as copbot logs unsigned requests."""

    def setup(self, cfg: Any) -> None:
        self.cfg = cfg
        self.error_log.setLevel(self.LOG_LEVELS.get(cfg.loglevel.lower(), logging.INFO))
        self.error_log.propagate = True
        self.access_log.disabled = True

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        if str(msg).startswith("Invalid request from"):
            self.debug(msg, *args, **kwargs)
        else:
            super().warning(msg, *args, **kwargs)


class CopbotWorker(ThreadWorker):
    """gunicorn's threaded worker, in which a connection gets a thread only once its whole
    request has arrived.

    gunicorn gives each new connection a thread at once, which waits up to 5 s for its first
    byte and then reads the request however slowly it trickles in: 200 idle connections, or
    40 sending a byte a second, held every thread and Slack's requests waited. Here the
    worker's poller reads each request (headers, and a body of up to MAX_BODY_BYTES as its
    Content-Length says) without a thread, and closes a connection whose request is not in
    after KEEPALIVE_SECONDS, or that would take it over READ_AHEAD_BUDGET; a kept-alive
    connection's next request is read the same way. A
    thread that still reads (a chunked body, one too large that the gate refuses) is cut
    REQUEST_DEADLINE_SECONDS after it took the connection up."""

    def init_process(self) -> None:
        self.deadlines = Deadlines(REQUEST_DEADLINE_SECONDS)
        self.read_ahead_bytes = 0  # what the poller holds of requests not yet in
        super().init_process()

    def accept(self, listener: Any) -> None:
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self._read_ahead(TConn(self.cfg, client, address, listener.getsockname()))

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        conn.sock = getattr(conn.sock, "inner", conn.sock)
        conn.parser.unreader.sock = conn.sock
        self._read_ahead(conn)

    def _read_ahead(self, conn: Any) -> None:
        """Wait in the poller for `conn`'s request; gunicorn's murder_pending closes it if
        it is not in by its timeout (pending connections share one timeout, kept in order)."""
        conn.sock.setblocking(False)
        conn.timeout = time.monotonic() + self.cfg.keepalive
        conn.copbot_read = bytearray()
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, conn))

    def _readable(self, conn: Any, client: Any) -> None:
        try:
            chunk = conn.sock.recv(READ_AHEAD_CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        read: bytearray = conn.copbot_read
        read += chunk
        self.read_ahead_bytes += len(chunk)
        arriving = bool(chunk) and not request_in(read)
        if arriving and self.read_ahead_bytes <= READ_AHEAD_BUDGET:
            return
        self.poller.unregister(client)
        self.pending_conns.remove(conn)
        self.read_ahead_bytes -= len(read)
        conn.copbot_read = bytearray()
        if not read or arriving:
            # closed before sending anything, or the poller holds too much of such requests
            # (hundreds of large bodies trickling in at once): dropped, not read by a thread
            self.nr_conns -= 1
            conn.close()
            return
        conn.sock = ReadAhead(conn.sock, bytes(read))
        if conn.parser is not None:
            conn.parser.unreader.sock = conn.sock
        conn.data_ready = True
        self.enqueue_req(conn)

    def murder_pending(self) -> None:
        """gunicorn's, forgetting what the poller held of the connections it closes."""
        before = list(self.pending_conns)
        super().murder_pending()
        if len(self.pending_conns) != len(before):
            alive = {id(conn) for conn in self.pending_conns}
            for conn in before:
                if id(conn) not in alive:
                    self.read_ahead_bytes -= len(getattr(conn, "copbot_read", b""))

    def handle(self, conn: Any) -> Any:
        ticket = self.deadlines.watch(conn.sock)
        try:
            return super().handle(conn)
        finally:
            self.deadlines.forget(ticket)


def request_in(data: bytes | bytearray) -> bool:
    """Whether `data` holds a whole HTTP/1 request, or as much of one as the thread that
    answers it should read itself: its headers and a body of the Content-Length they give; or
    just the headers of a request whose body it refuses or must ask for (over
    MAX_BODY_BYTES, chunked, "Expect: 100-continue", a malformed or repeated length); or more
    header bytes than gunicorn accepts (it answers 431)."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return len(data) > MAX_HEADER_BYTES
    length = None
    for line in bytes(data[:end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"transfer-encoding" or (name == b"expect" and value == b"100-continue"):
            return True
        if name == b"content-length":
            if length is not None or not value.isdigit() or int(value) > MAX_BODY_BYTES:
                return True  # two lengths, a malformed or a too large one: refused unread
            length = int(value)
    length = length or 0
    return len(data) >= end + 4 + length


class ReadAhead:
    """A connection's socket whose request the worker's poller has read: gunicorn's parser
    gets those bytes first, then reads the socket itself (a kept-alive connection's next
    request). Everything else is the socket's."""

    def __init__(self, inner: socket.socket, data: bytes) -> None:
        self.inner = inner
        self._data = memoryview(data)

    def recv(self, size: int, *flags: int) -> bytes:
        if self._data:
            piece, self._data = self._data[:size], self._data[size:]
            return bytes(piece)
        return self.inner.recv(size, *flags)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


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
