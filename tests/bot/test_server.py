"""The production server (`copbot run --http`: gunicorn's threaded workers): a deadline on
every connection, and a SIGTERM that lets running work finish before it exits 0."""

from __future__ import annotations

import io
import signal
import socket
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.http import CopbotWSGI
from bot.server import Deadlines, ReadAhead, request_in
from sandbox.slack import SlackSender, SlackStandIn
from storage import db
from storage.models import InboxEvent, Snippet
from tests.harness import SIGNING_SECRET, Copbot
from tests.processes import free_port, start_copbot
from tests.storage.knowledge_helpers import make_community


def test_a_connection_is_cut_at_its_deadline_unless_it_was_answered() -> None:
    deadlines = Deadlines(0.1)
    slow, slow_peer = socket.socketpair()
    answered, answered_peer = socket.socketpair()
    with slow, slow_peer, answered, answered_peer:
        deadlines.watch(slow)
        deadlines.forget(deadlines.watch(answered))
        slow_peer.settimeout(5)
        assert slow_peer.recv(1) == b""  # cut: the peer reads the end of the stream
        answered_peer.settimeout(1.5)
        with pytest.raises(TimeoutError):
            answered_peer.recv(1)  # still open


@pytest.mark.slow
def test_sigterm_lets_running_work_finish_then_exits_0(
    engine: Engine, standin: SlackStandIn, tmp_path: Path
) -> None:
    make_community(channel="CPYTHON")
    port = free_port()
    process = start_copbot(engine, standin, port, tmp_path)
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, standin)
    standin.slow("chat.postMessage", 2.0)  # the share's post is under way at the SIGTERM
    text = standin.typed("share Use pathlib for paths #python", command=True)
    shared = sender.command(text, user="UALICE", channel="CPYTHON")
    assert shared.status == 200
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    posts = [m for m in standin.messages("CPYTHON") if "pathlib" in m.get("text", "")]
    assert len(posts) == 1
    with db.session() as session:
        [snippet] = session.exec(select(Snippet)).all()
        [request] = session.exec(
            select(InboxEvent).where(InboxEvent.event_id == f"trigger {shared.trigger_id}")
        ).all()
    assert (snippet.message_ts, request.status) == (posts[0]["ts"], "done")
    log = (tmp_path / "copbot.log").read_text()
    assert "Traceback" not in log
    assert log.count("Booting worker") == 2  # COP_HTTP_WORKERS' default


REQUEST = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n"


@pytest.mark.parametrize(
    ("data", "whole"),
    [
        (b"", False),
        (REQUEST[:-2], False),  # the headers are not over
        (REQUEST + b"ab", False),  # half its body
        (REQUEST + b"abcd", True),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", True),  # no body
        (REQUEST.replace(b"Content-Length: 4", b"content-length:  4 ") + b"abcd", True),
        (REQUEST.replace(b"4", b"2000000"), True),  # too large: the gate refuses it unread
        (REQUEST.replace(b"4", b"-1"), True),  # gunicorn answers 400
        (REQUEST.replace(b"Host: x", b"Content-Length: 4"), True),  # twice: 400 too
        (REQUEST.replace(b"Content-Length: 4", b"Transfer-Encoding: chunked"), True),
        (REQUEST.replace(b"Host: x", b"Expect: 100-continue"), True),  # waits for its 100
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 70_000, True),  # gunicorn answers 431
    ],
)
def test_a_request_is_handed_to_a_thread_once_it_is_in(data: bytes, whole: bool) -> None:
    assert request_in(data) is whole


def test_read_ahead_gives_the_bytes_read_then_the_socket() -> None:
    ours, peer = socket.socketpair()
    with ours, peer:
        peer.sendall(b"next")
        wrapped = ReadAhead(ours, b"first")
        assert [wrapped.recv(3), wrapped.recv(8)] == [b"fir", b"st"]
        assert wrapped.recv(8) == b"next"
        assert wrapped.fileno() == ours.fileno()


def _trickle(port: int, connections: list[socket.socket], count: int) -> None:
    """Open `count` connections that send the start of a request and then nothing more (as
    a client sending a byte a second would), and `count` that send nothing at all."""
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Le")
        connections.append(connection)
    for _ in range(count):
        connections.append(socket.create_connection(("127.0.0.1", port), timeout=5))


@pytest.mark.slow
def test_slow_and_idle_connections_hold_no_thread_and_slack_is_answered(
    engine: Engine, standin: SlackStandIn, tmp_path: Path
) -> None:
    """The attacker's slowloris: connections that trickle a request in, or send nothing, as
    many as the server has threads and more; a signed command meanwhile is answered, in the
    time Slack waits (gunicorn alone gave each a thread for up to 20 s)."""
    make_community(channel="CPYTHON")
    port = free_port()
    two_threads = {"COP_HTTP_WORKERS": "1", "COP_HTTP_THREADS": "2"}
    process = start_copbot(engine, standin, port, tmp_path, settings=two_threads)
    connections: list[socket.socket] = []
    try:
        _trickle(port, connections, 8)
        time.sleep(0.5)  # the server has taken them all up
        sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, standin)
        sender.timeout = 3.0  # Slack's own wait
        text = standin.typed("help", command=True)
        assert sender.command(text, user="UALICE", channel="CPYTHON").status == 200
    finally:
        for connection in connections:
            connection.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0


def _call(wsgi: CopbotWSGI, method: str, path: str) -> tuple[str, bytes]:
    started: list[str] = []
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "x",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }
    body = wsgi(environ, lambda status, headers, *_: started.append(status))  # type: ignore[arg-type]
    return started[0], b"".join(body)


def test_head_is_answered_as_get_without_a_body(copbot: Copbot) -> None:
    """A load balancer's HEAD /healthz; and no body for gunicorn to warn of on any HEAD."""
    wsgi = CopbotWSGI(copbot.door, SIGNING_SECRET)
    for path in ("/healthz", "/slack/events", "/anything"):
        status, body = _call(wsgi, "GET", path)
        assert body
        assert _call(wsgi, "HEAD", path) == (status, b"")
