"""The real copbot app over HTTP on 127.0.0.1, wired to a Slack stand-in.

The sandbox runs copbot this way, and so do the scenario tests and the benchmarks: one
`ServedApp` builds the app behind its door with `create_door`, serves it with copbot's light
HTTP server on a free port (bot/http.py; production's gunicorn forks, and these need the app in
their own process), and signs requests to it the way Slack does. Its work lanes count what is
still waiting or running, so a caller can wait until copbot has finished with a request.
"""

from __future__ import annotations

import threading
from typing import Self

from bot.app import create_door
from bot.config import Settings
from bot.http import make_http_server

from .slack import SlackSender, SlackStandIn


class ServedApp:
    """copbot's Bolt app behind copbot's HTTP server, and a signer that speaks to it as Slack.

    Args:
        standin: the Slack stand-in the app's Web API calls go to (settings.slack_api_url).
        settings: the app's settings; the database must already be prepared.
    """

    def __init__(self, standin: SlackStandIn, settings: Settings) -> None:
        self.standin = standin
        self.settings = settings
        self.door = create_door(settings)
        self.app = self.door.app
        self.server = make_http_server(
            self.door, signing_secret=settings.slack_signing_secret, host="127.0.0.1", port=0
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
        self.door.close(wait=30)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until copbot has finished every request it was sent."""
        self.door.wait_idle(timeout)

    @property
    def errors(self) -> list[BaseException]:
        """What copbot's work raised: nothing, unless copbot has a bug (listeners catch theirs)."""
        return self.door.worker.pools.errors
