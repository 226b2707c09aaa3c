"""The load benchmark's baseline: a bare Bolt app whose listeners only ack, served like copbot.

    python -m bench.bare --api-url URL --token xoxb-… --port P [--workers 2 --threads 16]
    python -m bench.bare --api-url URL --token xoxb-… --app-token xapp-…   # Socket Mode

Same signing secret as the benchmark's copbot, listeners for the same events and command
(message, reaction_added, app_home_opened, /cop), each calling ack() and nothing else. Over
HTTP it is served by copbot's own server (bot.server.CopbotServer: gunicorn's gthread
workers, built per worker after the fork) through Bolt's WSGI adapter; in Socket Mode by
Bolt's built-in SocketModeHandler, the one copbot's handler extends.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bench.load_world import SIGNING_SECRET
from bot.server import CopbotServer, Served


def acknowledge(ack: Ack) -> None:
    """Every listener of the bare app."""
    ack()


def bare_app(api_url: str, token: str) -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url),
        signing_secret=SIGNING_SECRET,
        raise_error_for_unhandled_request=False,
    )
    for event in ("message", "reaction_added", "app_home_opened"):
        app.event(event)(acknowledge)
    app.command("/cop")(acknowledge)
    return app


class BareWSGI:
    """Bolt's WSGI adapter, and /healthz for the benchmark to know it is up."""

    def __init__(self, app: App) -> None:
        self.slack = SlackRequestHandler(app, path="/slack/events")

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        return self.slack(environ, start_response)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bare", description=__doc__)
    parser.add_argument("--api-url", required=True, help="the Web API (the stand-in's api_url)")
    parser.add_argument("--token", required=True, help="the bot token")
    parser.add_argument("--app-token", help="Socket Mode: the app-level token")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args(argv)
    if args.app_token:
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        handler = SocketModeHandler(bare_app(args.api_url, args.token), args.app_token)
        try:
            handler.start()
        except KeyboardInterrupt:
            handler.close()
        return 0

    def build() -> Served:
        return Served(BareWSGI(bare_app(args.api_url, args.token)), lambda: None)

    CopbotServer(
        build, host=args.host, port=args.port, workers=args.workers, threads=args.threads
    ).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
