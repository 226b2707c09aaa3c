"""Slack's side of Socket Mode for the stand-in: apps.connections.open, and the websocket it
hands out, over which envelopes go to the app and its acks come back.

As Slack does (docs.slack.dev, "Using Socket Mode"): a `hello` on connect; envelopes
(`events_api`, `slash_commands`, `interactive`) spread over the app's open connections in
turn; an `events_api` envelope not acked in time sent again with `retry_attempt` + 1 and
`retry_reason: "timeout"`; a `disconnect` on demand, after which the client opens a new
connection and nothing more goes over the old one. `websockets` is imported only when a
connection is first opened: the sandbox, which never uses Socket Mode, runs without it.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .checks import SlackError
from .signing import command_fields, event_fields

if TYPE_CHECKING:
    from websockets.http11 import Request, Response
    from websockets.sync.server import Server, ServerConnection

    from .standin import SlackStandIn

logger = logging.getLogger(__name__)

APP_TOKEN = "xapp-1-A0001-1-test"
ACK_TIMEOUT = 10.0  # how long send_*() wait for the app's ack
RETRY_AFTER = 3.0  # Slack re-sends an unacked events_api envelope after a few seconds
MAX_RETRIES = 3
# Interactions whose ack may carry a payload Slack acts on (response_action, options).
RESPONDING = ("view_submission", "block_suggestion")


@dataclass
class Delivery:
    """One envelope sent to the app: where each attempt went, and the ack it got."""

    envelope: dict[str, Any]
    links: list[int] = field(default_factory=list)  # the connection of each attempt
    sent_at: float = 0.0
    acked_at: float | None = None  # time.monotonic() when the ack came back
    ack: dict[str, Any] | None = None
    acked_over: int | None = None  # the connection the ack came back over
    acked: threading.Event = field(default_factory=threading.Event)

    @property
    def envelope_id(self) -> str:
        return str(self.envelope["envelope_id"])

    @property
    def payload(self) -> Any:
        """What the app put in its ack (`{"text": ...}`, a response_action), or None."""
        return (self.ack or {}).get("payload")

    @property
    def body(self) -> dict[str, Any]:
        """What was delivered: the event_callback, the command's fields, the interaction."""
        return dict(self.envelope["payload"])

    def wait(self, timeout: float = ACK_TIMEOUT) -> Delivery:
        if not self.acked.wait(timeout):
            raise AssertionError(f"no ack for {self.envelope['type']} {self.envelope_id}")
        return self


@dataclass
class _Link:
    id: int
    connection: ServerConnection
    draining: bool = False  # told to disconnect: nothing more goes over it


class SocketMode:
    """Socket Mode for the stand-in's app; the stand-in answers apps.connections.open with it."""

    def __init__(self, standin: SlackStandIn, *, app_token: str = APP_TOKEN) -> None:
        self.standin = standin
        self.app_token = app_token
        self.retry_after: float | None = RETRY_AFTER
        self.acks: list[dict[str, Any]] = []
        self.deliveries: list[Delivery] = []
        self._lock = threading.Condition()
        self._tickets: set[str] = set()
        self._links: list[_Link] = []
        self._ids = itertools.count(1)
        self._turn = itertools.count()
        self._pending: dict[str, Delivery] = {}
        self._lost_acks = 0
        self._server: Server | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    # ----- what tests do -------------------------------------------------------------------
    def send_event(
        self, event: dict[str, Any], *, event_id: str | None = None, wait: bool = True
    ) -> Delivery:
        """An `events_api` envelope carrying the event_callback around `event`."""
        body = event_fields(self.standin, event, event_id=event_id)
        envelope = {"type": "events_api", "accepts_response_payload": False}
        envelope.update(retry_attempt=0, retry_reason="")
        return self._deliver(envelope, body, wait)

    def send_command(
        self, text: str, *, user: str, channel: str, wait: bool = True, **kw: Any
    ) -> Delivery:
        """A `slash_commands` envelope: `/cop <text>` typed by `user` in `channel`."""
        body = command_fields(self.standin, text, user=user, channel=channel, **kw)
        envelope = {"type": "slash_commands", "accepts_response_payload": True}
        return self._deliver(envelope, body, wait)

    def send_interactive(self, payload: dict[str, Any], *, wait: bool = True) -> Delivery:
        """An `interactive` envelope: block_actions, view_submission, shortcut, ..."""
        responding = payload.get("type") in RESPONDING
        envelope = {"type": "interactive", "accepts_response_payload": responding}
        return self._deliver(envelope, payload, wait)

    def send_payload(self, kind: str, payload: dict[str, Any], *, wait: bool = True) -> Delivery:
        """An envelope of `kind` (events_api, slash_commands, interactive) around a payload
        built beforehand (event_fields, command_fields, an interaction): what a load
        generator sends, ready-made, at its scheduled time."""
        if kind == "events_api":
            envelope: dict[str, Any] = {"type": kind, "accepts_response_payload": False}
            envelope.update(retry_attempt=0, retry_reason="")
        elif kind == "slash_commands":
            envelope = {"type": kind, "accepts_response_payload": True}
        else:
            envelope = {"type": kind, "accepts_response_payload": payload.get("type") in RESPONDING}
        return self._deliver(envelope, payload, wait)

    def connections(self) -> int:
        """The app's open connections that envelopes go over."""
        with self._lock:
            return sum(not link.draining for link in self._links)

    def wait_for_connections(self, count: int, timeout: float = 30.0) -> None:
        """Until the app has `count` open connections; AssertionError on timeout."""
        with self._lock:
            if not self._lock.wait_for(lambda: self.connections() == count, timeout):
                raise AssertionError(f"{self.connections()} connections, not {count}")

    def disconnect(self, reason: str = "refresh_requested") -> int:
        """Tell every open connection to go (`disconnect`): the client opens another."""
        with self._lock:
            links = [link for link in self._links if not link.draining]
            for link in links:
                link.draining = True
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-1"}}
        for link in links:
            self._send(link, message)
        return len(links)

    def lose_acks(self, times: int = 1) -> None:
        """The next `times` acks of events_api envelopes never reach Slack (it re-sends them)."""
        with self._lock:
            self._lost_acks += times

    # ----- apps.connections.open -------------------------------------------------------------
    def open(self, token: str | None) -> dict[str, Any]:
        """apps.connections.open: a one-time websocket URL, for the app-level token only."""
        if not token:
            raise SlackError("not_authed")
        if token != self.app_token:
            known = self.standin.actor_for(token) is not None
            raise SlackError("not_allowed_token_type" if known else "invalid_auth")
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets.add(ticket)
        try:
            port = self._start()
        except ImportError:
            logger.error("the stand-in's Socket Mode needs websockets (pip install -e '.[dev]')")
            raise SlackError("fatal_error") from None
        return {"url": f"ws://127.0.0.1:{port}/link/?ticket={ticket}&app_id={self.standin.app_id}"}

    # ----- the websocket server --------------------------------------------------------------
    def _start(self) -> int:
        with self._lock:
            if self._stopping.is_set():
                raise SlackError("service_unavailable")
            if self._server is None:
                from websockets.sync.server import serve

                self._server = serve(
                    self._serve,
                    "127.0.0.1",
                    0,
                    process_request=self._admit,
                    compression=None,
                    logger=logger,
                )
                for target in (self._server.serve_forever, self._retry_unacked):
                    thread = threading.Thread(target=target, name="slack-socket-mode", daemon=True)
                    thread.start()
                    self._threads.append(thread)
            return int(self._server.socket.getsockname()[1])

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()

    def _admit(self, connection: ServerConnection, request: Request) -> Response | None:
        """Only a URL apps.connections.open gave out, once."""
        url = urlsplit(request.path)
        ticket = (parse_qs(url.query).get("ticket") or [""])[0]
        with self._lock:
            known = url.path.rstrip("/") == "/link" and ticket in self._tickets
            self._tickets.discard(ticket)
        return None if known else connection.respond(401, "invalid_ticket\n")

    def _serve(self, connection: ServerConnection) -> None:
        from websockets.exceptions import ConnectionClosed

        link = _Link(next(self._ids), connection)
        with self._lock:
            count = self.connections() + 1
        hello = {"type": "hello", "num_connections": count}
        hello["debug_info"] = {"host": "applink-1", "build_number": 1}
        hello["connection_info"] = {"app_id": self.standin.app_id}
        self._send(link, hello)
        with self._lock:
            self._links.append(link)
            self._lock.notify_all()
        try:
            for message in connection:
                self._receive(link, message)
        except ConnectionClosed:
            pass  # the client closes its old connection without a close frame
        finally:
            with self._lock:
                self._links.remove(link)
                self._lock.notify_all()

    def _receive(self, link: _Link, message: str | bytes) -> None:
        try:
            ack = json.loads(message)
            envelope_id = ack["envelope_id"]
        except (ValueError, TypeError, KeyError):
            logger.warning("Socket Mode stand-in: not an ack: %r", message)
            return
        with self._lock:
            delivery = self._pending.get(envelope_id)
            if delivery is None:
                return
            if self._lost_acks and delivery.envelope["type"] == "events_api":
                self._lost_acks -= 1
                return
            del self._pending[envelope_id]
            delivery.ack, delivery.acked_over = ack, link.id
            delivery.acked_at = time.monotonic()
            self.acks.append(ack)
        delivery.acked.set()

    # ----- sending ----------------------------------------------------------------------------
    def _deliver(self, envelope: dict[str, Any], payload: dict[str, Any], wait: bool) -> Delivery:
        envelope = {"envelope_id": str(uuid.uuid4()), "payload": payload, **envelope}
        delivery = Delivery(envelope)
        with self._lock:
            self._pending[delivery.envelope_id] = delivery
            self.deliveries.append(delivery)
        if not self._attempt(delivery):
            raise AssertionError("the app has no Socket Mode connection")
        return delivery.wait() if wait else delivery

    def _attempt(self, delivery: Delivery) -> bool:
        """Over the next open connection in turn (waiting a while for one, as Slack queues)."""
        with self._lock:
            if not self._lock.wait_for(self.connections, ACK_TIMEOUT):
                return False
            links = [link for link in self._links if not link.draining]
            link = links[next(self._turn) % len(links)]
            delivery.links.append(link.id)
            delivery.sent_at = time.monotonic()
        self._send(link, delivery.envelope)
        return True

    def _send(self, link: _Link, message: dict[str, Any]) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            link.connection.send(json.dumps(message))
        except ConnectionClosed:
            logger.info("Socket Mode stand-in: connection %s closed before a send", link.id)

    def _retry_unacked(self) -> None:
        """Re-send events_api envelopes not acked within retry_after, up to MAX_RETRIES times."""
        while not self._stopping.wait(0.05):
            with self._lock:
                after = self.retry_after
                due = [
                    d
                    for d in self._pending.values()
                    if after is not None
                    and d.envelope["type"] == "events_api"
                    and len(d.links) <= MAX_RETRIES
                    and time.monotonic() - d.sent_at >= after
                ]
                for delivery in due:
                    delivery.envelope.update(retry_attempt=len(delivery.links))
                    delivery.envelope.update(retry_reason="timeout")
            for delivery in due:
                self._attempt(delivery)
