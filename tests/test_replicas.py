"""Two `copbot run` processes on one PostgreSQL behave as one, behind a round-robin proxy
(HTTP) or sharing Slack's envelopes over their connections (Socket Mode): nothing over the
kudos quota, one community per channel, exact counts, one post per slot."""

from __future__ import annotations

import http.client
import itertools
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from sandbox.slack import SlackSender, SlackStandIn, reaction_event
from sandbox.slack.socket_mode import Delivery
from scheduler.kinds import KINDS
from scheduler.periods import period_key
from storage import db, schedule
from storage.models import Community, CommunityChannel, Endorsement, Kudos, ScheduledPost, Snippet
from tests.handlers.test_atomic_rules import at_once
from tests.harness import SIGNING_SECRET, flatten_text
from tests.processes import free_port, start_copbot, start_socket_copbot
from tests.scheduler.test_concurrency import FIRST_TICK, start_tickers, tick_env

pytestmark = pytest.mark.slow

QUOTA = 3


class RoundRobin(ThreadingHTTPServer):
    """Sends each request to the next backend in turn, as a load balancer does."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, backends: list[int]) -> None:
        self.backends = itertools.cycle(backends)
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Forward)

    def next_backend(self) -> int:
        with self.lock:
            return next(self.backends)


class _Forward(BaseHTTPRequestHandler):
    server: RoundRobin

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.next_backend(), timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        upstream.request("POST", self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def replicas(
    engine: Engine, standin: SlackStandIn, tmp_path: Path
) -> Iterator[tuple[SlackSender, list[subprocess.Popen]]]:
    if engine.dialect.name != "postgresql":
        pytest.skip("replicas share one PostgreSQL")
    ports = [free_port(), free_port()]
    processes = []
    for i, port in enumerate(ports):
        (tmp_path / f"replica{i}").mkdir()
        processes.append(start_copbot(engine, standin, port, tmp_path / f"replica{i}"))
    proxy = RoundRobin(ports)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{proxy.server_port}/slack/events"
    try:
        yield SlackSender(url, SIGNING_SECRET, standin), processes
    finally:
        proxy.shutdown()
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def answers(standin: SlackStandIn, words: str) -> int:
    """How many response_url answers said `words`."""
    return sum(words in flatten_text(r["body"]) for r in standin.responses)


def settle(standin: SlackStandIn, words: str, count: int) -> None:
    """Wait until `count` response_url answers said `words`."""
    standin.wait_for(lambda: answers(standin, words) >= count, timeout=60)


class Sends(Protocol):
    """What plays Slack towards the replicas: signed HTTP, or Socket Mode envelopes."""

    def command(self, text: str, *, user: str, channel: str) -> object: ...

    def event(self, event: dict[str, Any]) -> object: ...


class SocketSender:
    """Slash commands and events in Socket Mode envelopes, spread over the open connections."""

    def __init__(self, standin: SlackStandIn) -> None:
        self.socket = standin.socket

    def command(self, text: str, *, user: str, channel: str) -> Delivery:
        return self.socket.send_command(text, user=user, channel=channel)

    def event(self, event: dict[str, Any]) -> Delivery:
        return self.socket.send_event(event)


@pytest.fixture
def socket_replicas(
    engine: Engine, standin: SlackStandIn, tmp_path: Path
) -> Iterator[list[subprocess.Popen]]:
    if engine.dialect.name != "postgresql":
        pytest.skip("replicas share one PostgreSQL")
    processes = []
    try:
        for i in range(2):
            (tmp_path / f"replica{i}").mkdir()
            processes.append(start_socket_copbot(engine, standin, tmp_path / f"replica{i}"))
        yield processes
    finally:
        for process in processes:
            process.terminate()
        assert [process.wait(timeout=30) for process in processes] == [0] * len(processes)


def test_two_replicas_behave_as_one(
    engine: Engine,
    standin: SlackStandIn,
    replicas: tuple[SlackSender, list[subprocess.Popen]],
    tmp_path: Path,
) -> None:
    sender, _ = replicas
    behave_as_one(standin, sender)

    # concurrent ticks: one post per slot
    with db.session() as session:
        [community] = session.exec(select(Community)).all()
        community.created_at = FIRST_TICK.replace(day=1)
        session.add(community)
        for row in schedule.schedules_of(session=session, community_id=community.id or 0):
            row.weekday, row.minute, row.updated_at = 0, 10 * 60, community.created_at
            session.add(row)
        session.commit()
    tickers = start_tickers(FIRST_TICK, tick_env(engine, standin), tmp_path)
    assert [t.wait() for t in tickers] == [0] * len(tickers)
    with db.session() as session:
        # FIRST_TICK's week only: the replicas' own schedulers tick in real time, and on a
        # Monday afternoon they make that week's posts too (the same slot, a later week)
        week = period_key(FIRST_TICK, "UTC")
        ledger = session.exec(select(ScheduledPost).where(ScheduledPost.period == week)).all()
    assert Counter(r.kind for r in ledger) == dict.fromkeys((k.name for k in KINDS), 1)
    # the week before FIRST_TICK had no kudos (they were given just now): no summary for it
    assert {r.kind: r.status for r in ledger} == {
        "prompt": "posted",
        "digest": "posted",
        "kudos": "skipped",
    }


def test_two_socket_mode_replicas_behave_as_one(
    standin: SlackStandIn, socket_replicas: list[subprocess.Popen]
) -> None:
    assert standin.socket.connections() == 2
    behave_as_one(standin, SocketSender(standin))
    answered = {d.acked_over for d in standin.socket.deliveries}
    assert len(answered) == 2, "both replicas took envelopes"
    assert all(d.acked_over == d.links[-1] for d in standin.socket.deliveries)


def behave_as_one(standin: SlackStandIn, sender: Sends) -> None:
    """Parallel creates in one channel, concurrent kudos over the quota, concurrent reactions:
    one community, exactly the quota, exact counts."""
    typed = standin.typed

    # parallel creates in one channel: one community
    at_once(
        6,
        lambda i: sender.command(
            typed(f"create Guild {i}", command=True), user="UALICE", channel="CPYTHON"
        ),
    )
    settle(standin, "already hosts", 5)
    with db.session() as session:
        assert len(session.exec(select(Community)).all()) == 1
        assert [b.channel_id for b in session.exec(select(CommunityChannel))] == ["CPYTHON"]
    sender.command(
        typed(f"settings kudos-quota {QUOTA}", command=True), user="UALICE", channel="CPYTHON"
    )
    settle(standin, "Kudos per person per day", 1)

    # concurrent kudos over the quota: never more than the quota
    at_once(
        20,
        lambda i: sender.command(
            typed("kudos @bob for the review", command=True), user="UALICE", channel="CPYTHON"
        ),
    )
    settle(standin, "today", 20)
    with db.session() as session:
        kudos = session.exec(select(Kudos)).all()
    assert len(kudos) == QUOTA
    posts = [m for m in standin.messages("CPYTHON") if "gave kudos to" in m.get("text", "")]
    assert len(posts) == QUOTA

    # concurrent reactions on one message: exact counts
    fans = [f"UFAN{i}" for i in range(8)]
    for fan in fans:
        standin.add_user(fan, name=fan.lower(), real_name=fan)
        standin.channels["CPYTHON"].members.append(fan)
    ts = standin.add_message("CPYTHON", "UBOB", "a tip worth keeping")["ts"]
    at_once(
        8,
        lambda i: sender.event(
            reaction_event(fans[i], "bulb", channel="CPYTHON", ts=ts, item_user="UBOB")
        ),
    )

    def endorsed() -> int:
        with db.session() as session:
            snippet = session.exec(select(Snippet).where(Snippet.message_ts == ts)).first()
            if snippet is None:
                return 0
            rows = session.exec(
                select(Endorsement).where(Endorsement.snippet_id == snippet.id)
            ).all()
            return len(rows) if snippet.endorsements == len(rows) else -1

    standin.wait_for(lambda: endorsed() == len(fans), timeout=60)
