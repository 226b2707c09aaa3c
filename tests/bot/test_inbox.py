"""Nothing acknowledged is lost: events are recorded before the 200 and handled again when
the work was dropped; nothing is doubled: a re-delivery or a second handling has no effect."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot import inbox as bot_inbox
from bot.inbox import LEASE
from sandbox.slack import reaction_event
from storage import db, inbox, knowledge
from storage.clock import utcnow
from storage.models import Endorsement, InboxEvent, Kudos, Snippet
from tests.harness import Copbot


def database_down(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("INSERT …", {}, ConnectionRefusedError("connection refused"))


def failing_once(real: Callable[..., Any]) -> Callable[..., Any]:
    calls: list[int] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            database_down()
        return real(*args, **kwargs)

    return call


def inbox_rows() -> list[tuple[str, str, int]]:
    with db.session() as session:
        rows = session.exec(select(InboxEvent).order_by(InboxEvent.id)).all()
    return [(r.event_id, r.status, r.attempts) for r in rows]


def endorsements() -> list[tuple[str, str]]:
    with db.session() as session:
        rows = session.exec(
            select(Snippet.message_ts, Endorsement.user_id).join(
                Endorsement, Endorsement.snippet_id == Snippet.id
            )
        ).all()
    return sorted((ts, user) for ts, user in rows)


def bulb(copbot: Copbot, ts: str, *, user: str = "UALICE", **kw: Any) -> Any:
    event = reaction_event(user, "bulb", channel="CPYTHON", ts=ts, item_user="UBOB")
    sent = copbot.sender.event(event, **kw)
    copbot.wait_idle()
    return sent


def test_a_handled_event_is_done_and_its_redelivery_skipped(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("use pathlib for paths", user="UBOB")
    first = bulb(copbot, ts, event_id="Ev0001")
    again = bulb(copbot, ts, event_id="Ev0001", retry_num=1)
    assert (first.status, again.status) == (200, 200)
    assert ("Ev0001", "done", 1) in inbox_rows()
    assert endorsements() == [(ts, "UALICE")]


def test_an_event_the_database_could_not_record_is_refused_so_slack_sends_it_again(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("use pathlib for paths", user="UBOB")
    with monkeypatch.context() as patch:
        patch.setattr(inbox, "receive_many", database_down)
        refused = bulb(copbot, ts, event_id="Ev0002")
    assert refused.status == 503
    assert endorsements() == []
    retried = bulb(copbot, ts, event_id="Ev0002", retry_num=1, retry_reason="http_error")
    assert retried.status == 200
    assert endorsements() == [(ts, "UALICE")]


def test_work_the_database_failed_during_is_done_again_later_and_only_once(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("use pathlib for paths", user="UBOB")
    copbot.standin.ephemerals.clear()
    monkeypatch.setattr(knowledge, "add_endorsement", failing_once(knowledge.add_endorsement))
    sent = bulb(copbot, ts, event_id="Ev0003")
    assert sent.status == 200  # acknowledged: Slack will not send it again
    assert endorsements() == []
    assert ("Ev0003", "pending", 1) in inbox_rows()
    # nobody was told to try again: copbot will
    assert not any("try again" in e["text"] for e in copbot.standin.ephemerals)
    assert copbot.door.worker.take_due(now=utcnow() + LEASE / 2) == 0  # its lease still runs
    assert copbot.door.worker.take_due(now=utcnow() + LEASE + timedelta(seconds=1)) == 1
    copbot.wait_idle()
    assert endorsements() == [(ts, "UALICE")]
    assert ("Ev0003", "done", 2) in inbox_rows()
    assert copbot.door.worker.take_due(now=utcnow() + 3 * LEASE) == 0
    assert endorsements() == [(ts, "UALICE")]


def test_slacks_own_retry_of_dropped_work_is_handled_once_its_lease_ran_out(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("use pathlib for paths", user="UBOB")
    monkeypatch.setattr(knowledge, "add_endorsement", failing_once(knowledge.add_endorsement))
    bulb(copbot, ts, event_id="Ev0004")
    bulb(copbot, ts, event_id="Ev0004", retry_num=1)  # in hand: skipped
    assert endorsements() == []
    with db.session() as session:
        held = session.exec(select(InboxEvent).where(InboxEvent.event_id == "Ev0004")).one()
        held.lease_until = utcnow() - timedelta(seconds=1)
        session.add(held)
        session.commit()
    bulb(copbot, ts, event_id="Ev0004", retry_num=2)
    assert endorsements() == [(ts, "UALICE")]
    assert ("Ev0004", "done", 2) in inbox_rows()


def test_an_event_copbot_has_no_use_for_is_acknowledged_and_settled(copbot: Copbot) -> None:
    sent = copbot.event({"type": "pin_added", "user": "UALICE", "channel_id": "CPYTHON"})
    assert sent.status == 200  # a 404 would have Slack send it again
    [(_, status, _)] = inbox_rows()
    assert status == "done"


def test_a_replayed_signed_command_acts_once(copbot: Copbot) -> None:
    """Slack never sends a command twice: one seen again (same trigger_id) is a replay."""
    copbot.cop("/cop create Python Guild")
    text = copbot.standin.typed("kudos @bob for the review", command=True)
    first = copbot.sender.command(text, user="UALICE", channel="CPYTHON", trigger_id="13.37.abc")
    again = copbot.sender.command(text, user="UALICE", channel="CPYTHON", trigger_id="13.37.abc")
    copbot.wait_idle()
    assert (first.status, again.status) == (200, 200)
    with db.session() as session:
        assert len(session.exec(select(Kudos)).all()) == 1
    posts = [m for m in copbot.standin.messages("CPYTHON") if "gave kudos" in m.get("text", "")]
    assert len(posts) == 1


def test_an_event_whose_listener_is_merely_slow_is_not_handed_in_again(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack answers the welcome late, longer than a lease: nobody takes the event over
    meanwhile, so the newcomer is welcomed once."""
    copbot.cop("/cop create Python Guild")
    copbot.standin.set_members("CPYTHON", [*copbot.standin.channel_members("CPYTHON"), "UCAROL"])
    monkeypatch.setattr(bot_inbox, "LEASE", timedelta(seconds=1))
    copbot.standin.slow("chat.postEphemeral", 3)
    joined = {"type": "member_joined_channel", "user": "UCAROL", "channel": "CPYTHON"}
    assert copbot.sender.event(joined, event_id="Ev0005").status == 200
    end = time.monotonic() + 4
    while time.monotonic() < end:  # every process's redo job, while the welcome is in hand
        copbot.door.worker.take_due()
        time.sleep(0.1)
    copbot.wait_idle()
    assert [e["user"] for e in copbot.standin.ephemerals] == ["UCAROL"]
    assert ("Ev0005", "done", 1) in inbox_rows()


def test_slack_refusing_a_call_during_an_event_tells_nobody_to_try_again(copbot: Copbot) -> None:
    """Nobody asked for an event's work: a refusal is logged, not sent to the reactor."""
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("use pathlib for paths", user="UBOB", deliver=False)  # not cached
    copbot.standin.ephemerals.clear()
    copbot.standin.fail("conversations.history", error="internal_error", times=3)
    copbot.standin.fail("conversations.replies", error="internal_error", times=3)
    bulb(copbot, ts, event_id="Ev0009")
    told = [e["text"] for e in copbot.standin.ephemerals] + [
        m.get("text", "") for m in copbot.standin.messages("DALICE")
    ]
    assert not any("try again" in t for t in told), told
    assert ("Ev0009", "done", 1) in inbox_rows()


def test_a_capture_handled_again_still_tells_its_curator(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first handling recorded the snippet and the database failed before the curator
    was told: the second handling finds the snippet there, and tells them all the same."""
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("use pathlib for paths", user="UBOB")
    copbot.standin.ephemerals.clear()
    monkeypatch.setattr(knowledge, "add_endorsement", failing_once(knowledge.add_endorsement))
    bulb(copbot, ts, event_id="Ev0010")
    with db.session() as session:
        assert [s.message_ts for s in session.exec(select(Snippet))] == [ts]
    assert copbot.standin.ephemerals == []
    assert copbot.door.worker.take_due(now=utcnow() + LEASE + timedelta(seconds=1)) == 1
    copbot.wait_idle()
    assert [e["user"] for e in copbot.standin.ephemerals] == ["UALICE"]
    assert endorsements() == [(ts, "UALICE")]
