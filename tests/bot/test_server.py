"""The production server (`copbot run --http`: gunicorn's threaded workers): a deadline on
every connection, and a SIGTERM that lets running work finish before it exits 0."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.server import Deadlines
from sandbox.slack import SlackSender, SlackStandIn
from storage import db
from storage.models import InboxEvent, Snippet
from tests.harness import SIGNING_SECRET
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
