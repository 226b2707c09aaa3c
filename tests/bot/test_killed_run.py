"""`copbot run` SIGKILLed under load with work in flight, then restarted: every event it
acknowledged takes effect exactly once, and so does every event Slack had to send again.

Slack is the stand-in, answering the message look-ups slowly so that the kill finds
listeners mid-work. Events that got no 200 are sent again as Slack does (X-Slack-Retry-Num);
events that got their 200 but whose work died with the process are handed in again from the
inbox once their lease has run out, here by a second copbot in the test (any replica may).
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.inbox import LEASE
from sandbox.slack import SlackSender, SlackStandIn, reaction_event
from storage import db
from storage.clock import utcnow
from storage.models import Endorsement, InboxEvent, Kudos, Snippet
from tests.harness import SIGNING_SECRET, running_copbot, settings_for
from tests.processes import free_port, kill, start_copbot
from tests.storage.knowledge_helpers import make_community
from tests.test_replicas import settle

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 40
LOOKUP_SECONDS = 0.3  # each message look-up is answered this late


def redo_dropped_work(engine: Engine, standin: SlackStandIn) -> None:
    """Hand in the acknowledged work the kill dropped, once its lease has run out (here by a
    second copbot in the test: any replica may), and wait until the inbox has none pending."""
    settings = settings_for(standin, engine.url.render_as_string(hide_password=False))
    with running_copbot(standin, settings) as replica:
        replica.door.worker.take_due(now=utcnow() + LEASE + timedelta(seconds=1))
        replica.wait_idle()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with db.session() as session:
            pending = [r for r in session.exec(select(InboxEvent)) if r.status != "done"]
        if not pending:
            return
        time.sleep(0.2)


def test_copbot_killed_mid_work_loses_and_doubles_nothing(
    engine: Engine, standin: SlackStandIn, tmp_path: Path
) -> None:
    make_community(channel="CPYTHON")
    messages = [standin.add_message("CPYTHON", "UBOB", f"tip {i}")["ts"] for i in range(EVENTS)]
    standin.slow("conversations.history", LOOKUP_SECONDS, times=10 * EVENTS)
    standin.slow("conversations.replies", LOOKUP_SECONDS, times=10 * EVENTS)

    port = free_port()
    process = start_copbot(engine, standin, port, tmp_path)
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, standin)
    events = [
        (
            f"EvKILL{i:04d}",
            reaction_event("UALICE", "bulb", channel="CPYTHON", ts=ts, item_user="UBOB"),
        )
        for i, ts in enumerate(messages)
    ]
    answered: dict[str, int] = {}

    def deliver(event_id: str, event: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):  # it died before answering: Slack sends it again
            answered[event_id] = sender.event(event, event_id=event_id).status

    threads = [threading.Thread(target=deliver, args=pair) for pair in events]
    for thread in threads:
        thread.start()
        time.sleep(0.01)
    standin.wait_for(lambda: len(standin.calls_to("conversations.history")) >= EVENTS // 4)
    kill(process)
    for thread in threads:
        thread.join()
    acknowledged = {e for e, status in answered.items() if status == 200}
    assert acknowledged, "the kill came before copbot acknowledged anything"

    with db.session() as session:
        done_before = {r.event_id for r in session.exec(select(InboxEvent)) if r.status == "done"}
    assert acknowledged - done_before, "the kill came after all the work was done"

    process = start_copbot(engine, standin, port, tmp_path)  # restarted
    try:
        for event_id, event in events:
            if event_id not in acknowledged:  # Slack's retry of what got no 200
                assert sender.event(event, event_id=event_id, retry_num=1).status == 200
        redo_dropped_work(engine, standin)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    with db.session() as session:
        rows = session.exec(
            select(Snippet.message_ts, Endorsement.user_id).join(
                Endorsement, Endorsement.snippet_id == Snippet.id
            )
        ).all()
        snippets = session.exec(select(Snippet.message_ts)).all()
        statuses = {r.event_id: r.status for r in session.exec(select(InboxEvent))}
    assert sorted(snippets) == sorted(messages), "one snippet per message, none lost or doubled"
    assert sorted(ts for ts, _ in rows) == sorted(messages)
    assert {statuses[e] for e, _ in events} == {"done"}


COMMANDS = 20


def test_copbot_killed_mid_command_thanks_exactly_once(
    engine: Engine, standin: SlackStandIn, tmp_path: Path
) -> None:
    """Twenty /cop kudos in flight, Slack answering each post late, when copbot is killed:
    each acknowledged command is finished by a second handling (which finds any post Slack
    made by its metadata); one that got no 200 was shown to its giver as failed, who runs it
    again (and one recorded just before a 200 that never went out is then not redone as
    well). Every thanks is recorded once, posted once, and points at its post."""
    port = free_port()
    process = start_copbot(engine, standin, port, tmp_path)
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, standin)
    assert sender.command("create Python Guild", user="UALICE", channel="CPYTHON").status == 200
    standin.wait_for(lambda: standin.messages("CPYTHON"), timeout=30)  # its welcome
    assert sender.command("settings kudos-quota 50", user="UALICE", channel="CPYTHON").status == 200
    settle(standin, "Kudos per person per day", 1)
    standin.slow("chat.postMessage", 0.5, times=COMMANDS)
    texts = [standin.typed(f"kudos @bob for tip {i}", command=True) for i in range(COMMANDS)]
    answered: dict[int, int] = {}

    def run(i: int) -> None:
        with contextlib.suppress(OSError):  # died before answering: the giver sees an error
            answered[i] = sender.command(texts[i], user="UALICE", channel="CPYTHON").status

    threads = [threading.Thread(target=run, args=(i,)) for i in range(COMMANDS)]
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    standin.wait_for(lambda: len(standin.calls_to("chat.postMessage")) >= COMMANDS // 4, timeout=30)
    kill(process)
    for thread in threads:
        thread.join()
    acknowledged = {i for i, status in answered.items() if status == 200}
    assert acknowledged, "the kill came before copbot acknowledged anything"
    with db.session() as session:
        rows = session.exec(select(InboxEvent)).all()
        unfinished = [r for r in rows if r.event_id.startswith("trigger ") and r.status != "done"]
    assert unfinished, "the kill came after all the work was done"

    process = start_copbot(engine, standin, port, tmp_path)  # restarted
    try:
        for i in range(COMMANDS):
            if i not in acknowledged:  # the giver runs it again
                assert sender.command(texts[i], user="UALICE", channel="CPYTHON").status == 200
        redo_dropped_work(engine, standin)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    posts = [m for m in standin.messages("CPYTHON") if "gave kudos" in m.get("text", "")]
    with db.session() as session:
        thanks = session.exec(select(Kudos)).all()
        statuses = {r.status for r in session.exec(select(InboxEvent))}
    reasons = sorted(k.reason for k in thanks)
    assert reasons == sorted(f"for tip {i}" for i in range(COMMANDS)), "each thanks once"
    assert len(posts) == COMMANDS, "each thanks posted once"
    assert sorted(k.message_ts for k in thanks) == sorted(p["ts"] for p in posts)
    assert statuses == {"done"}
