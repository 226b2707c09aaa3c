"""The real copbot app over HTTP on 127.0.0.1, wired to a Slack stand-in.

The sandbox runs copbot this way, and so do the scenario tests and the benchmarks: one
`ServedApp` builds the Bolt app with `create_app`, serves it with copbot's own HTTP server
on a free port, and signs requests to it the way Slack does. Its listener executor counts
what is still running, so a caller can wait until copbot has finished with a request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Self

from bot.app import LISTENER_THREADS, create_app
from bot.config import Settings
from bot.http import make_http_server

from .slack import SlackSender, SlackStandIn


class TrackingExecutor(ThreadPoolExecutor):
    """Runs Bolt listeners like production does, and lets a caller wait until none is running."""

    def __init__(self, max_workers: int = LISTENER_THREADS) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._pending = 0
        self._idle = threading.Condition()
        self.errors: list[BaseException] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any]) -> None:
        error = future.exception()
        if error is not None:
            self.errors.append(error)
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until every submitted listener has finished.

        Raises:
            AssertionError: some are still running after `timeout` seconds.
        """
        with self._idle:
            if not self._idle.wait_for(lambda: self._pending == 0, timeout=timeout):
                raise AssertionError(f"listeners still running after {timeout}s")


class ServedApp:
    """copbot's Bolt app behind copbot's HTTP server, and a signer that speaks to it as Slack.

    Args:
        standin: the Slack stand-in the app's Web API calls go to (settings.slack_api_url).
        settings: the app's settings; the database must already be prepared.
        executor: the listener executor (default: a TrackingExecutor of production's size).
    """

    def __init__(
        self, standin: SlackStandIn, settings: Settings, executor: TrackingExecutor | None = None
    ) -> None:
        self.standin = standin
        self.settings = settings
        self.executor = executor or TrackingExecutor()
        self.app = create_app(settings, listener_executor=self.executor)
        self.server = make_http_server(
            self.app, signing_secret=settings.slack_signing_secret, host="127.0.0.1", port=0
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.sender = SlackSender(
            f"{self.url}/slack/events", settings.slack_signing_secret, standin
        )
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="copbot-http",
            daemon=True,
        )

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
        self.executor.shutdown(wait=True)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until copbot has finished every request it was sent."""
        self.executor.wait_idle(timeout)
