"""The door answers Slack from the request thread and runs the work on separate lanes: no
answer waits for work, a person's command never waits behind a flood of events, a form is
answered with its listener's errors, work that does not fit in memory waits in the inbox,
and a stopping copbot gives what it never started back to the inbox."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot import door as door_module
from bot import worker as worker_module
from bot.door import NOT_TAKEN_IN
from handlers.events import messages as message_events
from sandbox.slack import (
    block_actions_payload,
    message_event,
    sign_request,
    state_value,
    view_submission_payload,
)
from storage import db, inbox
from storage.models import ChannelMessage, InboxEvent
from tests.bot.test_inbox import database_down
from tests.harness import SIGNING_SECRET, Copbot, running_copbot, settings_for

WAIT = 20.0  # seconds a blocked listener waits at most (a failing test ends, never hangs)


@contextmanager
def messages_held(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every message event's work waits inside its listener until the block ends; yields the
    ts of those that have started."""
    started: list[str] = []
    release = threading.Event()
    real = message_events.remember

    def held(session: Any, team_id: str, channel_id: str, message: Any) -> Any:
        started.append(message.ts)
        release.wait(WAIT)
        return real(session, team_id, channel_id, message)

    monkeypatch.setattr(message_events, "remember", held)
    try:
        yield started
    finally:
        release.set()


def post(copbot: Copbot, i: int) -> tuple[str, int]:
    """Bob says something in #python; returns its ts and the status copbot answered."""
    text = f"message {i}"
    posted = copbot.standin.add_message("CPYTHON", "UBOB", text)
    sent = copbot.sender.event(message_event("CPYTHON", "UBOB", text, posted["ts"]))
    return str(posted["ts"]), sent.status


def cached() -> list[str]:
    with db.session() as session:
        return sorted(session.exec(select(ChannelMessage.ts)))


def rows() -> dict[str, tuple[str, int]]:
    with db.session() as session:
        return {r.event_id: (r.status, r.attempts) for r in session.exec(select(InboxEvent))}


def wait_until(predicate: Any, timeout: float = WAIT) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_events_are_answered_before_their_work_and_a_command_never_waits_behind_them(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    threads = copbot.door.worker.pools["background"].threads
    with messages_held(monkeypatch) as started:
        sent = [post(copbot, i) for i in range(threads + 4)]  # more than the lane's threads
        assert {status for _, status in sent} == {200}  # while every listener still waits
        wait_until(lambda: len(started) == threads)
        info = copbot.sender.command("info", user="UALICE", channel="CPYTHON")
        assert info.status == 200
        answered = copbot.standin.wait_for(
            lambda: [r for r in copbot.standin.responses if r["url"] == info.response_url],
            timeout=WAIT,
        )
        assert "Python Guild" in str(answered[0]["body"])
        assert cached() == []  # the messages are still being handled
    copbot.wait_idle()
    assert cached() == sorted(ts for ts, _ in sent)


def test_a_form_is_answered_with_its_listeners_errors_while_events_wait(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create")
    [opened] = copbot.standin.calls_to("views.open")
    submission = view_submission_payload(
        user_id="UALICE",
        callback_id="create_community",
        private_metadata="CPYTHON",
        blocks=opened.args["view"]["blocks"],
        values={"name": {"name_input": state_value("   ")}, "domain": {"domain_input": {}}},
    )
    with messages_held(monkeypatch):
        for i in range(copbot.door.worker.pools["background"].threads + 4):
            post(copbot, i)
        answer = copbot.sender.interactive(submission)
        assert answer.status == 200
        assert answer.json()["response_action"] == "errors"
        assert list(answer.json()["errors"]) == ["name"]


def test_a_form_whose_listener_is_too_slow_is_closed_and_its_work_still_done(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack waits 3 seconds for a form's answer: past FORM_ANSWER_SECONDS copbot closes it
    (an empty 200) rather than let Slack show an error, and the work goes on."""
    copbot.cop("/cop create")
    [opened] = copbot.standin.calls_to("views.open")
    monkeypatch.setattr(door_module, "FORM_ANSWER_SECONDS", 0.2)
    copbot.standin.slow("conversations.info", 1.0, times=5)
    submission = view_submission_payload(
        user_id="UALICE",
        callback_id="create_community",
        private_metadata="CPYTHON",
        blocks=opened.args["view"]["blocks"],
        values={"name": {"name_input": state_value("Slow Circle")}, "domain": {"domain_input": {}}},
    )
    answer = copbot.interactive(submission)
    assert (answer.status, answer.body) == (200, "")
    assert "Slow Circle" in copbot.standin.last_message("CPYTHON")["text"]


def test_work_beyond_a_lanes_queue_waits_in_the_inbox_and_is_done_once(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    monkeypatch.setattr(worker_module, "MAX_QUEUED", 3)
    with messages_held(monkeypatch) as started:
        sent = [post(copbot, i) for i in range(8)]
        assert {status for _, status in sent} == {200}
        wait_until(lambda: len(started) == 3)
        waiting = [e for e, (status, attempts) in rows().items() if attempts == 0]
        assert len(waiting) == 5  # recorded, due at once, never tried
        assert all(rows()[e][0] == "pending" for e in waiting)
    wait_until(lambda: all(status == "done" for status, _ in rows().values()))
    copbot.wait_idle()
    assert cached() == sorted(ts for ts, _ in sent)  # each once
    assert {attempts for _, attempts in rows().values()} == {1}


def test_a_stopping_copbot_gives_work_it_never_started_back_to_the_inbox(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    threads = copbot.door.worker.pools["background"].threads
    with messages_held(monkeypatch) as started:
        sent = [post(copbot, i) for i in range(threads + 3)]
        wait_until(lambda: len(started) == threads)
        copbot.door.close(wait=0.1)  # 3 queued, never started
        given_back = [e for e, (status, attempts) in rows().items() if attempts == 0]
        assert len(given_back) == 3
    copbot.door.wait_idle()  # the running ones finish
    settings = settings_for(copbot.standin, str(db.get_engine().url))
    with running_copbot(copbot.standin, settings) as replica:
        assert replica.door.worker.take_due() == 3
        replica.wait_idle()
    assert cached() == sorted(ts for ts, _ in sent)
    assert {(status, attempts) for status, attempts in rows().values()} == {("done", 1)}


def test_a_button_the_inbox_cannot_take_in_is_not_done_and_the_person_told(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop share Logging tip")
    url = copbot.standin.new_response_url("CPYTHON")
    button = block_actions_payload(
        user_id="UALICE",
        action_id="search_more",
        value='{"q": "logging", "offset": 5}',
        response_url=url,
        channel_id="CPYTHON",
    )
    monkeypatch.setattr(inbox, "receive_many", database_down)
    answer = copbot.interactive(button)
    assert (answer.status, answer.body) == (200, "")
    [told] = [r["body"] for r in copbot.standin.responses if r["url"] == url]
    assert told["text"] == NOT_TAKEN_IN
    assert f"trigger {button['trigger_id']}" not in rows()


@pytest.mark.parametrize(
    ("error", "settled"),
    [
        (TypeError("'int' object is not subscriptable"), True),
        (OperationalError("SELECT …", {}, ConnectionRefusedError("connection refused")), False),
    ],
    ids=["a payload bolt cannot read", "the database down"],
)
def test_work_that_fails_outside_its_listener_is_logged_and_settled_or_kept(
    copbot: Copbot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
    settled: bool,
) -> None:
    """Bolt itself raises before any listener runs (the attacker's signed shapes): the
    traceback is logged once and the work settled, since it would fail the same way again;
    the database failing leaves it for next time, with one line."""

    def failing(**_: Any) -> Any:
        raise error

    monkeypatch.setattr(worker_module, "BoltRequest", failing)
    caplog.set_level(logging.INFO)
    sent = copbot.sender.event(message_event("CPYTHON", "UBOB", "hello", "1700000000.000100"))
    assert sent.status == 200
    copbot.wait_idle()
    assert copbot.errors == []
    [line] = [r for r in caplog.records if r.name == "copbot.work" and r.levelno >= logging.WARNING]
    assert (line.exc_info is not None) is settled
    assert rows()[sent.event_id][0] == ("done" if settled else "pending")


def test_an_event_sent_as_a_form_is_kept_as_json_and_done(copbot: Copbot) -> None:
    """Slack sends events as JSON; one a sender wrapped in a form's `payload` (the attacker's)
    is stored as read, not as the form's text, so its work can be read back and done."""
    copbot.cop("/cop create Python Guild")
    posted = copbot.standin.add_message("CPYTHON", "UBOB", "a tip")
    event = message_event("CPYTHON", "UBOB", "a tip", posted["ts"])
    body = "payload=" + quote(
        json.dumps(
            {"type": "event_callback", "team_id": "T0001", "event_id": "EvForm1", "event": event}
        )
    )
    form = "application/x-www-form-urlencoded"
    sent = copbot.sender.post_raw(body, sign_request(body, SIGNING_SECRET, content_type=form))
    assert sent.status == 200
    copbot.wait_idle()
    assert rows()["EvForm1"] == ("done", 1)
    assert posted["ts"] in cached()
    with db.session() as session:
        [stored] = session.exec(select(InboxEvent.body).where(InboxEvent.event_id == "EvForm1"))
    assert json.loads(stored)["event"]["ts"] == posted["ts"]  # as a work process reads it
