"""The Slack stand-in in a process of its own: seeded with the benchmark's world, serving the
Web API (and Socket Mode) to copbot, answering the benchmark over a multiprocessing Pipe.

What it answers ((what, kwargs) in, a dict out):
- "response_urls": new response_urls for (channel, user) pairs, for the commands to be sent;
- "counts": the views.publish calls by user, the response_url posts by url, calls by method
  and the calls that failed;
- "socket": in Socket Mode, Slack's side of the load itself (this is where Slack's
  websocket is): envelopes sent at their due times (open loop) or by `clients` senders
  (closed loop), with each one's time to ack from when it was due.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

from bench.load_world import World, seed_standin
from bench.loadgen import NO_CONNECTION, TIMED_OUT, Outcome
from bot.errors import WILL_FINISH
from sandbox.slack import SlackStandIn
from sandbox.slack.socket_mode import Delivery

ACK = 200  # an envelope acked in time counts as a 200


def serve(conn: Connection, world: World) -> None:
    """The process's main."""
    standin = SlackStandIn().start()
    standin.socket.retry_after = 3.0  # Slack re-sends an events_api envelope not acked in time
    seed_standin(standin, world)
    conn.send(
        {
            "api_url": standin.api_url,
            "bot_token": standin.bot_token,
            "app_token": standin.socket.app_token,
        }
    )
    try:
        while True:
            try:
                what, kwargs = conn.recv()
            except EOFError:
                return
            if what == "stop":
                return
            conn.send(_answer(standin, what, kwargs))
    finally:
        standin.stop()


def _answer(standin: SlackStandIn, what: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    if what == "response_urls":
        return {
            "urls": [
                standin.new_response_url(channel, user=user) for channel, user in kwargs["pairs"]
            ]
        }
    if what == "counts":
        return counts(standin)
    if what == "connections":
        return {"connections": standin.socket.connections()}
    if what == "socket":
        return socket_load(standin, **kwargs)
    raise ValueError(what)


def counts(standin: SlackStandIn) -> dict[str, Any]:
    with standin.lock:
        calls = list(standin.calls)
        responses = list(standin.responses)
    publishes = Counter(
        str(c.args.get("user_id")) for c in calls if c.method == "views.publish" and not c.failed
    )
    failed = Counter(
        f"{c.method}: {c.failed or (c.response or {}).get('error')}"
        for c in calls
        if c.failed or (c.response is not None and not c.response.get("ok", True))
    )
    notices = [r for r in responses if _will_finish(r["body"])]
    return {
        "publishes": publishes,
        # a "copbot will finish it" notice is not the answer (the answer follows it)
        "responses": Counter(str(r["url"]) for r in responses if not _will_finish(r["body"])),
        "will_finish": len(notices),
        "methods": Counter(c.method for c in calls),
        "failed": failed,
    }


def _will_finish(body: Any) -> bool:
    """Whether a response is copbot's notice that its database stumbled (bot.errors)."""
    return isinstance(body, dict) and body.get("text") == WILL_FINISH


# ----- Socket Mode: the load goes out from here -----------------------------------------------
def socket_load(
    standin: SlackStandIn,
    *,
    items: Sequence[tuple[str, dict[str, Any]]],
    rate: float | None = None,
    clients: int = 16,
    seconds: float = 0.0,
    timeout: float = 10.0,
) -> dict[str, Any]:
    """Send (envelope type, payload) items over the app's connections: at `rate` a second
    (open loop), else by `clients` senders for `seconds` (closed loop). Outcomes in order."""
    began = time.process_time()
    if rate is not None:
        outcomes = _open(standin, items, rate, timeout)
    else:
        outcomes = _closed(standin, items, clients, seconds, timeout)
    return {"outcomes": outcomes, "cpu": time.process_time() - began, "now": time.monotonic()}


def _send(standin: SlackStandIn, kind: str, payload: dict[str, Any]) -> Delivery | None:
    try:
        return standin.socket.send_payload(kind, payload, wait=False)
    except AssertionError:  # no connection to send it over
        return None


def _outcome(delivery: Delivery | None, due: float, sent: float, timeout: float) -> Outcome:
    if delivery is None:
        return Outcome(NO_CONNECTION, time.monotonic() - due, sent - due, time.monotonic())
    if not delivery.acked.wait(max(0.0, due + timeout - time.monotonic())):
        return Outcome(TIMED_OUT, timeout, sent - due, time.monotonic())
    acked = delivery.acked_at or time.monotonic()
    if acked - due > timeout:  # acked, but after the sender gave up on it
        return Outcome(TIMED_OUT, timeout, sent - due, acked)
    return Outcome(ACK, acked - due, sent - due, acked)


def _open(
    standin: SlackStandIn, items: Sequence[tuple[str, dict[str, Any]]], rate: float, timeout: float
) -> list[Outcome]:
    begin = time.monotonic() + 0.05
    sent: list[tuple[Delivery | None, float, float]] = []
    for i, (kind, payload) in enumerate(items):
        due = begin + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        sent.append((_send(standin, kind, payload), due, time.monotonic()))
    return [_outcome(delivery, due, at, timeout) for delivery, due, at in sent]


def _closed(
    standin: SlackStandIn,
    items: Sequence[tuple[str, dict[str, Any]]],
    clients: int,
    seconds: float,
    timeout: float,
) -> list[Outcome]:
    end = time.monotonic() + seconds
    turn = iter(range(len(items)))
    lock = threading.Lock()
    outcomes: dict[int, Outcome] = {}

    def client() -> None:
        while time.monotonic() < end:
            with lock:
                i = next(turn, None)
            if i is None:
                return
            due = time.monotonic()
            delivery = _send(standin, *items[i])
            outcomes[i] = _outcome(delivery, due, due, timeout)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [outcomes[i] for i in sorted(outcomes)]
