"""Socket Mode: Slack's envelopes over a websocket, through the same door as HTTP requests.

Bolt's SocketModeHandler dispatches each envelope to the app and acknowledges it when the
listener has acknowledged; copbot's hands each to the door (bot/door.py), which records it and
acknowledges at once. A form's envelope is acknowledged with what its listener answers, as
over HTTP.

The connection is the `websocket-client` library's (Bolt's websocket_client adapter), not
slack_sdk's built-in one, which reads frames recursively, one call per frame and per read,
until a read ends where a frame does: after a stall, a thousand envelopes waiting at once went
past Python's recursion limit and broke the connection (RecursionError, frames misread, every
ack lost; tests/bot/test_socket_mode.py sends it such a stream).
"""

from __future__ import annotations

from time import time

from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.door import Door


class DoorSocketModeHandler(SocketModeHandler):
    """Bolt's Socket Mode handler (websocket-client), answering through `door`.

    Args:
        door: the door of the app (bot.app.create_door).
        app_token: SLACK_APP_TOKEN (xapp-…).
    """

    def __init__(self, door: Door, app_token: str) -> None:
        super().__init__(door.app, app_token)
        self.door = door

    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        start = time()
        payload = req.payload if isinstance(req.payload, dict) else {}
        response = self.door.receive(payload, raw="", inline=lambda: run_bolt_app(self.app, req))
        send_response(client, req, response, start)
