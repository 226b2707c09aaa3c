"""Nothing unsigned reaches copbot: issue 13's findings 1 and 6, over real HTTP.

A request whose signature cannot be verified, however it is malformed, is answered 401 and
changes nothing: no listener runs, no error reply goes to a URL the sender chose, no Web API
call, no database write, no log line above DEBUG. Bodies are bounded, reads time out.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import func, select

from bot.gate import MAX_BODY_BYTES
from sandbox.slack import sign_request, slash_command_body
from storage import db
from storage.models import InboxEvent, UserProfile
from tests.harness import SIGNING_SECRET, Copbot

FRESH = str(int(time.time()))
FORM = "application/x-www-form-urlencoded"


def _command_body(copbot: Copbot, response_url: str | None = None) -> str:
    return slash_command_body(
        text="help",
        user_id="UALICE",
        channel_id="CPYTHON",
        response_url=response_url or copbot.standin.new_response_url("CPYTHON", user="UALICE"),
    )


def _rows() -> tuple[int, ...]:
    with db.session() as session:
        return tuple(
            int(session.execute(select(func.count()).select_from(table)).scalar_one())
            for table in (InboxEvent, UserProfile)
        )


def _assert_nothing_happened(
    copbot: Copbot, before: tuple[int, ...], caplog: pytest.LogCaptureFixture
) -> None:
    copbot.wait_idle()
    assert copbot.standin.calls == [] and copbot.standin.responses == []
    assert _rows() == before
    assert copbot.errors == []
    loud = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert loud == [], [r.getMessage() for r in loud]


BAD_HEADERS = {
    "timestamp is a word": {"X-Slack-Request-Timestamp": "x"},
    "timestamp is empty": {"X-Slack-Request-Timestamp": ""},
    "timestamp has a fraction": {"X-Slack-Request-Timestamp": "1.5"},
    "timestamp has 5,000 digits": {"X-Slack-Request-Timestamp": "9" * 5000},
    "signature is not ASCII": {"X-Slack-Signature": "v0=" + "é" * 64},
    "signature is cut short": {"X-Slack-Signature": "v0=abc"},
    "no signature at all": {"X-Slack-Signature": None},
    "timestamp an hour old": {"X-Slack-Request-Timestamp": str(int(time.time()) - 3600)},
}


@pytest.mark.parametrize("case", list(BAD_HEADERS), ids=str)
def test_an_unverifiable_request_gets_401_and_changes_nothing(
    copbot: Copbot, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    """The response_url points back at the stand-in: nothing may ever be posted to it."""
    body = _command_body(copbot)
    headers = sign_request(body, SIGNING_SECRET, content_type="application/x-www-form-urlencoded")
    for name, value in BAD_HEADERS[case].items():
        if value is None:
            headers.pop(name)
        else:
            headers[name] = value
    copbot.standin.clear_calls()
    before = _rows()
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    sent = copbot.sender.post_raw(body.encode("utf-8"), headers)
    assert sent.status == 401 and sent.body == ""
    _assert_nothing_happened(copbot, before, caplog)


JUNK = {
    "half a JSON object": ("{", "application/json"),
    "a JSON list": ("[1]", "application/json"),
    "a null payload": ("payload=null", "application/x-www-form-urlencoded"),
    "not UTF-8": (b"payload=\xff\xfe", "application/x-www-form-urlencoded"),
    # json.loads raises RecursionError, which is no ValueError: it was a 500 and a traceback
    "JSON nested 5,000 deep": ('{"a":' * 5000 + "1" + "}" * 5000, "application/json"),
    # Bolt reads any body that starts with "{" as JSON, whatever its Content-Type says
    "deep JSON sent as text/plain": ('{"a":' * 5000 + "1" + "}" * 5000, "text/plain"),
    # Bolt reads the last of repeated fields; the gate read the first
    "a second payload that is null": ("payload=%7B%7D&payload=null", FORM),
    # parses, then no database or UTF-8 encoder takes it: a traceback in the message listener
    "a lone surrogate": (
        '{"type": "event_callback", "team_id": "T0001", "event_id": "Ev1", "event": {"type": '
        '"message", "channel": "CPYTHON", "user": "UBOB", "ts": "1.2", "text": "\\ud800"}}',
        "application/json",
    ),
    # signed shapes Slack never sends, which Bolt indexes without looking: 500s and tracebacks
    "a button press without actions": (
        "payload="
        + quote(
            '{"type": "block_actions", "user": {"id": "UALICE"}, "team": {"id": "T0001"},'
            ' "actions": []}'
        ),
        FORM,
    ),
    "a form submission without a view": (
        "payload=" + quote('{"type": "view_submission", "user": {"id": "UALICE"}, "view": null}'),
        FORM,
    ),
    "an event that is null": (
        '{"type": "event_callback", "team_id": "T0001", "event_id": "Ev2", "event": null}',
        "application/json",
    ),
    # the attacker's: Bolt's context builder and its error handler raised outside listeners
    "an App Home opened by a number": (
        '{"type": "event_callback", "team_id": "T0001", "event_id": "Ev4", "event": {"type":'
        ' "app_home_opened", "user": 5, "channel": "D1", "tab": "home"}}',
        "application/json",
    ),
    "a form submission whose view has no type": (
        "payload="
        + quote(
            '{"type": "view_submission", "user": {"id": "UALICE"}, "team": {"id": "T0001"},'
            ' "trigger_id": "1.2.3", "view": {"id": "V1", "callback_id": "x"}}'
        ),
        FORM,
    ),
    # the inbox's key: without one, a replay would be done again; longer, two would collide
    "a command without a trigger_id": ("command=%2Fcop&text=help&user_id=UALICE", FORM),
    "an event without an event_id": (
        '{"type": "event_callback", "team_id": "T0001", "event": {"type": "message"}}',
        "application/json",
    ),
    "an event_id of 10,000 characters": (
        '{"type": "event_callback", "team_id": "T0001", "event_id": "'
        + "E" * 10_000
        + '", "event": {"type": "message"}}',
        "application/json",
    ),
    "a reaction on an item that is text": (
        '{"type": "event_callback", "team_id": "T0001", "event_id": "Ev3", "event": {"type":'
        ' "reaction_added", "user": "UALICE", "reaction": "bulb", "item": "x"}}',
        "application/json",
    ),
}


@pytest.mark.parametrize("case", list(JUNK), ids=str)
def test_unsigned_junk_is_401_without_a_traceback(
    copbot: Copbot, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, content_type = JUNK[case]
    copbot.standin.clear_calls()
    before = _rows()
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    raw = body if isinstance(body, bytes) else body.encode()
    sent = copbot.sender.post_raw(raw, {"Content-Type": content_type, "X-Slack-Signature": "v0=x"})
    assert sent.status == 401
    _assert_nothing_happened(copbot, before, caplog)


@pytest.mark.parametrize("case", [c for c in JUNK if c != "not UTF-8"], ids=str)
def test_signed_junk_is_400_with_one_line_and_no_traceback(
    copbot: Copbot, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, content_type = JUNK[case]
    assert isinstance(body, str)
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    sent = copbot.sender.post_raw(
        body, sign_request(body, SIGNING_SECRET, content_type=content_type)
    )
    assert sent.status == 400
    copbot.wait_idle()
    loud = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert len(loud) == 1 and loud[0].exc_info is None and "Traceback" not in caplog.text


def test_a_signed_command_still_works(copbot: Copbot) -> None:
    body = _command_body(copbot)
    headers = sign_request(body, SIGNING_SECRET, content_type="application/x-www-form-urlencoded")
    assert copbot.sender.post_raw(body, headers).status == 200


def _raw_http(copbot: Copbot, data: bytes, *, read_for: float = 5.0) -> bytes:
    parts = urlsplit(copbot.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=read_for) as conn:
        conn.sendall(data)
        chunks = []
        try:
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
        return b"".join(chunks)


def test_a_body_over_a_megabyte_is_refused_before_it_is_read(copbot: Copbot) -> None:
    announced = 50 * MAX_BODY_BYTES
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {announced}\r\nX-Slack-Signature: v0=x\r\n"
        f"X-Slack-Request-Timestamp: {FRESH}\r\n\r\n"
    ).encode()
    copbot.standin.clear_calls()
    answer = _raw_http(copbot, head + b"{" * 1000)  # far less than announced: never read
    assert answer.startswith(b"HTTP/1.0 413") or answer.startswith(b"HTTP/1.1 413")
    assert copbot.standin.calls == []


def test_a_content_length_in_other_digits_is_refused_not_a_crash(copbot: Copbot) -> None:
    """ "²" is a digit to str.isdigit() but not to int(): it was a 500 with a traceback."""
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: \xb2\r\n\r\n{"
    copbot.standin.clear_calls()
    answer = _raw_http(copbot, head)
    assert answer.startswith(b"HTTP/1.0 413") or answer.startswith(b"HTTP/1.1 413")
    assert copbot.standin.calls == []


def test_a_half_sent_request_is_dropped_after_the_read_timeout(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import http

    monkeypatch.setattr(http._QuietHandler, "timeout", 0.5)
    copbot.standin.clear_calls()
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"
    started = time.monotonic()
    _raw_http(copbot, head, read_for=30)  # returns when the server closes the connection
    assert time.monotonic() - started < 10
    assert copbot.standin.calls == []


def test_a_burst_of_connections_is_queued_not_reset(copbot: Copbot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c", "token": "t"})
    statuses: list[int] = []
    lock = threading.Lock()

    def post() -> None:
        headers = sign_request(body, SIGNING_SECRET, content_type="application/json")
        status = copbot.sender.post_raw(body, headers).status
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=post) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [200] * 60


@contextmanager
def strict_server(copbot: Copbot, **limits: Any) -> Iterator[tuple[str, int]]:
    from bot.http import make_http_server

    server = make_http_server(
        copbot.door, signing_secret=SIGNING_SECRET, host="127.0.0.1", port=0, **limits
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield ("127.0.0.1", server.server_port)
    finally:
        server.shutdown()
        server.server_close()


def test_a_request_trickled_in_a_byte_at_a_time_is_cut_at_the_deadline(copbot: Copbot) -> None:
    """Each byte comes well within the read timeout; only the whole-request deadline ends it."""
    request = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200
    copbot.standin.clear_calls()
    with strict_server(copbot, request_deadline=1.0) as address:
        connection = socket.create_connection(address, timeout=5)
        sent = 0
        try:
            for byte in request:
                connection.sendall(bytes([byte]))
                sent += 1
                time.sleep(0.2)
        except OSError:
            pass  # the server cut it
        finally:
            connection.close()
    assert sent < len(request), "the server let the trickle run to its end"
    assert copbot.standin.calls == []


def test_connections_over_the_limit_are_closed_at_once(copbot: Copbot) -> None:
    with strict_server(copbot, max_connections=2, request_deadline=30.0) as address:
        held = [socket.create_connection(address, timeout=5) for _ in range(2)]
        time.sleep(0.2)  # both are being served (waiting for their request line)
        extra = socket.create_connection(address, timeout=5)
        try:
            assert extra.recv(1) == b""  # closed by the server, no thread spent on it
        finally:
            extra.close()
            for connection in held:
                connection.close()
