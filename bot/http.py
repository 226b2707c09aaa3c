"""HTTP mode's WSGI app (/slack/events, /healthz, the OAuth pages) and a light server for it.

Everything posted to /slack/events passes bot/gate.py first (bounded, signed, well formed),
then the door (bot/door.py), which records it and answers. Production serves this app with
gunicorn (bot/server.py); the sandbox, the tests and the benchmarks with `make_http_server`,
a threaded wsgiref server in their own process, on a free port, whose app they can reach.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request.internals import build_context

from bot import __version__
from bot.door import Door
from bot.gate import TOO_LARGE, Admitted, Gate, Refusal
from storage import db

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READ_TIMEOUT_SECONDS = 10.0  # a read that waits this long drops the connection
# A connection is cut this long after it opened, however slowly its bytes trickle in (a
# request sent a byte at a time would otherwise hold a thread as long as it likes); Slack
# itself gives up on an answer after 3 seconds.
REQUEST_DEADLINE_SECONDS = 20.0
MAX_CONNECTIONS = 512  # open at once; more are closed at once, before a thread is spent
LISTEN_BACKLOG = 1024  # connections waiting for a thread: bursts queue rather than reset
log = logging.getLogger("copbot.http")


class CopbotWSGI:
    """Routes GET /healthz itself, Slack's requests through the gate to the door, and the
    OAuth pages to Bolt's WSGI adapter."""

    def __init__(self, door: Door, signing_secret: str) -> None:
        self.door = door
        self.slack = SlackRequestHandler(door.app, path=EVENTS_PATH)
        self.gate = Gate(signing_secret)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if method == "HEAD":  # as GET, without the body (which gunicorn warns of at each one)
            answer = self({**environ, "REQUEST_METHOD": "GET"}, start_response)
            getattr(answer, "close", lambda: None)()
            return []
        if path == HEALTH_PATH and method == "GET":
            return self.health(start_response)
        if path == EVENTS_PATH and method == "POST":
            admitted = self.admit(environ)
            if isinstance(admitted, Refusal):
                return self.refuse(start_response, admitted)
            response = self.door.receive(
                admitted.body, raw=admitted.text, inline=lambda: self.inline(environ, admitted)
            )
            return self.respond(start_response, response)
        return self.slack(environ, start_response)

    def admit(self, environ: WSGIEnvironment) -> Admitted | Refusal:
        """Read the body (if it is not too large) and let the gate judge the request."""
        if self.gate.too_large(environ.get("CONTENT_LENGTH")):
            return TOO_LARGE
        length = int((environ.get("CONTENT_LENGTH") or "0").strip() or "0")
        try:
            body = environ["wsgi.input"].read(length) if length else b""
        except OSError:  # the sender went away (or too slow: the read timed out)
            return Refusal("400 Bad Request")
        return self.gate.admit(
            body=body,
            timestamp=environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            signature=environ.get("HTTP_X_SLACK_SIGNATURE"),
            content_type=environ.get("CONTENT_TYPE") or "",
        )

    def inline(self, environ: WSGIEnvironment, admitted: Admitted) -> BoltResponse:
        """Hand Bolt what the door leaves to it (url_verification, ssl_check), as read by the
        gate: Bolt's own parse_body returns {} for a form that merely contains the word
        "payload" (`/cop share validate the payload`)."""
        request = BoltRequest(
            body=admitted.text,
            query=environ.get("QUERY_STRING"),
            headers=WsgiHttpRequest(environ).get_headers(),
        )
        if request.body != admitted.body:
            request.body = admitted.body
            request.context = build_context(BoltContext({}), admitted.body)
        return self.door.app.dispatch(request)

    @staticmethod
    def respond(start_response: StartResponse, response: BoltResponse) -> Iterable[bytes]:
        answer = WsgiHttpResponse(
            status=response.status, headers=response.headers, body=response.body
        )
        start_response(answer.status, answer.get_headers())
        return answer.get_body()

    @staticmethod
    def refuse(start_response: StartResponse, refusal: Refusal) -> Iterable[bytes]:
        headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(refusal.body)))]
        start_response(refusal.status, headers)
        return [refusal.body]

    def health(self, start_response: StartResponse) -> Iterable[bytes]:
        database = db.ping()
        ok = database == "ok"
        body = json.dumps(
            {"status": "ok" if ok else "degraded", "database": database, "version": __version__}
        ).encode()
        status = "200 OK" if ok else "503 Service Unavailable"
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self, address: Any, handler: Any, *, request_deadline: float, max_connections: int
    ) -> None:
        self.request_deadline = request_deadline
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            log.warning("%s open connections: one more closed", self.max_connections)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        deadline = threading.Timer(self.request_deadline, cut, args=(request,))
        deadline.daemon = True
        deadline.start()
        try:
            super().process_request_thread(request, client_address)
        finally:
            deadline.cancel()
            self._slots.release()


def cut(connection: socket.socket) -> None:
    """End a connection that outlived the deadline: its thread's next read or write fails."""
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)


class _QuietHandler(WSGIRequestHandler):
    timeout = READ_TIMEOUT_SECONDS  # socketserver applies it to each connection's socket

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def log_error(self, format: str, *args: Any) -> None:  # a malformed request line, say
        log.debug("%s " + format, self.address_string(), *args)


def make_http_server(
    door: Door,
    *,
    signing_secret: str,
    host: str = "0.0.0.0",
    port: int = 3000,
    request_deadline: float = REQUEST_DEADLINE_SECONDS,
    max_connections: int = MAX_CONNECTIONS,
) -> WSGIServer:
    """A threaded HTTP server for `door`; call serve_forever() (or shutdown()) on it.

    Args:
        door: the door of the Bolt app (bot.app.create_door).
        signing_secret: SLACK_SIGNING_SECRET, for the gate in front of Bolt.
        host: interface to bind; "127.0.0.1" in tests.
        port: TCP port, 0 for any free one.
        request_deadline: seconds a connection may stay open in all.
        max_connections: connections served at once.
    """
    server = _ThreadingWSGIServer(
        (host, port),
        _QuietHandler,
        request_deadline=request_deadline,
        max_connections=max_connections,
    )
    server.set_app(CopbotWSGI(door, signing_secret))
    return server
