"""HTTP mode: a small threaded WSGI server for /slack/events, /healthz and the OAuth pages."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot import __version__
from storage import db

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
log = logging.getLogger("copbot.http")


class CopbotWSGI:
    """Routes GET /healthz itself and everything else to Bolt's WSGI adapter."""

    def __init__(self, app: App) -> None:
        self.slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            return self.health(start_response)
        return self.slack(environ, start_response)

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


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def make_http_server(app: App, *, host: str = "0.0.0.0", port: int = 3000) -> WSGIServer:
    """A threaded HTTP server for `app`; call serve_forever() (or shutdown()) on it.

    Args:
        app: the Bolt app from create_app().
        host: interface to bind; "127.0.0.1" in tests.
        port: TCP port, 0 for any free one.
    """
    return make_server(
        host, port, CopbotWSGI(app), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
