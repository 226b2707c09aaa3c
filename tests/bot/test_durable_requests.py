"""Slash commands and interactions are in the inbox too: recorded by their ack, just before
Slack gets its 200, and handled again when the work was dropped (the process died, the
database failed mid-work), with the effect of once: a second handling finds the first one's
post and record by the request's token instead of thanking or sharing twice.

A process dying mid-work is `Died`, raised where the kill would land: it is no Exception, so
nothing in copbot catches it, and the request stays pending with its lease, as after a
SIGKILL (tests/bot/test_killed_run.py kills real processes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot import door as door_module
from bot.door import NOT_TAKEN_IN, NOT_TAKEN_IN_FIELD
from bot.errors import EXPIRED_FORM, WILL_FINISH
from bot.inbox import LEASE
from handlers.commands import kudos as kudos_command
from handlers.shared import knowledge as shared_knowledge
from sandbox.slack import state_value, view_submission_payload
from storage import db, inbox, knowledge, kudos
from storage.clock import utcnow
from storage.models import InboxEvent, Kudos, Snippet
from storage.models.base import PENDING_POST
from tests.bot.test_inbox import database_down
from tests.harness import Copbot


class Died(BaseException):
    """The process died here."""


def dies_once(real: Callable[..., Any], *, after: bool = False) -> Callable[..., Any]:
    """`real`, except that the first call dies (before doing anything, or `after` it)."""
    calls: list[int] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            if after:
                real(*args, **kwargs)
            raise Died()
        return real(*args, **kwargs)

    return call


def requests() -> list[tuple[str, str, int]]:
    with db.session() as session:
        rows = session.exec(select(InboxEvent).order_by(InboxEvent.id)).all()
    return [(r.event_id, r.status, r.attempts) for r in rows if r.event_id.startswith("trigger ")]


def redo_later(copbot: Copbot) -> int:
    taken = copbot.door.worker.take_due(now=utcnow() + LEASE + timedelta(seconds=1))
    copbot.wait_idle()
    return taken


def kudos_rows() -> list[tuple[str, str]]:
    with db.session() as session:
        return [(k.receiver_id, k.message_ts) for k in session.exec(select(Kudos))]


def kudos_posts(copbot: Copbot) -> list[dict[str, Any]]:
    return [m for m in copbot.standin.messages("CPYTHON") if "gave kudos" in m.get("text", "")]


def responses_to(copbot: Copbot, url: str) -> str:
    return " ".join(
        str(r["body"].get("text", "")) for r in copbot.standin.responses if r["url"] == url
    )


def kudos_command_sent(copbot: Copbot, text: str = "kudos @bob for the review") -> Any:
    sent = copbot.sender.command(
        copbot.standin.typed(text, command=True), user="UALICE", channel="CPYTHON"
    )
    copbot.wait_idle()
    return sent


def test_a_command_is_recorded_before_its_200_and_settled_after(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    sent = kudos_command_sent(copbot)
    assert sent.status == 200
    assert requests()[-1] == (f"trigger {sent.trigger_id}", "done", 1)


def test_kudos_whose_giver_died_after_slack_posted_them_are_posted_once(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between the post and pointing the thanks at it: the second handling finds
    the post by its token, points the thanks at it, and answers the giver."""
    copbot.cop("/cop create Python Guild")
    monkeypatch.setattr(kudos, "move_kudos", dies_once(kudos.move_kudos))
    sent = kudos_command_sent(copbot)
    assert sent.status == 200  # acknowledged: Slack never sends a command again
    [post] = kudos_posts(copbot)
    assert [status for _, status, _ in requests()][-1] == "pending"
    assert [ts.startswith(PENDING_POST) for _, ts in kudos_rows()] == [True]

    assert redo_later(copbot) == 1
    assert len(kudos_posts(copbot)) == 1
    assert kudos_rows() == [("UBOB", post["ts"])]
    assert "You thanked Bob" in responses_to(copbot, sent.response_url)
    assert requests()[-1] == (f"trigger {sent.trigger_id}", "done", 2)
    assert redo_later(copbot) == 0


def test_kudos_whose_giver_died_before_the_post_are_posted_once_and_counted_once(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings kudos-quota 1")
    monkeypatch.setattr(kudos_command, "post_message", dies_once(kudos_command.post_message))
    sent = kudos_command_sent(copbot)
    assert kudos_posts(copbot) == []
    assert len(kudos_rows()) == 1  # recorded first: the thanks count against the quota

    assert redo_later(copbot) == 1
    [post] = kudos_posts(copbot)
    assert kudos_rows() == [("UBOB", post["ts"])]  # the quota of 1 did not refuse its own
    assert "that was your last kudos today" in responses_to(copbot, sent.response_url)


def test_kudos_whose_giver_died_while_slack_was_posting_them_are_posted_once(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack made the post, the process died before its answer came."""
    copbot.cop("/cop create Python Guild")
    monkeypatch.setattr(
        kudos_command, "post_message", dies_once(kudos_command.post_message, after=True)
    )
    kudos_command_sent(copbot)
    [post] = kudos_posts(copbot)
    assert redo_later(copbot) == 1
    assert len(kudos_posts(copbot)) == 1
    assert kudos_rows() == [("UBOB", post["ts"])]


def test_knowledge_whose_sharer_died_mid_share_is_shared_once(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    monkeypatch.setattr(knowledge, "place_snippet", dies_once(knowledge.place_snippet))
    sent = copbot.sender.command(
        copbot.standin.typed("share Use pathlib for paths #python", command=True),
        user="UALICE",
        channel="CPYTHON",
    )
    copbot.wait_idle()
    shared = [m for m in copbot.standin.messages("CPYTHON") if "pathlib" in m.get("text", "")]
    assert len(shared) == 1
    assert redo_later(copbot) == 1
    shared = [m for m in copbot.standin.messages("CPYTHON") if "pathlib" in m.get("text", "")]
    assert len(shared) == 1
    with db.session() as session:
        snippets = session.exec(select(Snippet)).all()
    assert [(s.message_ts, bool(s.permalink)) for s in snippets] == [(shared[0]["ts"], True)]
    assert requests()[-1] == (f"trigger {sent.trigger_id}", "done", 2)


def test_knowledge_whose_sharer_died_before_the_post_is_posted_from_its_record(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    monkeypatch.setattr(shared_knowledge, "post_message", dies_once(shared_knowledge.post_message))
    copbot.cop("/cop share Use pathlib for paths #python")
    assert not [m for m in copbot.standin.messages("CPYTHON") if "pathlib" in m.get("text", "")]
    assert redo_later(copbot) == 1
    shared = [m for m in copbot.standin.messages("CPYTHON") if "pathlib" in m.get("text", "")]
    with db.session() as session:
        snippets = session.exec(select(Snippet)).all()
    assert [s.message_ts for s in snippets] == [shared[0]["ts"]]


def test_a_command_the_database_failed_during_is_finished_and_the_person_told_so(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    real = kudos.give_within_quota
    calls: list[int] = []

    def failing_once(**kw: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            database_down()
        return real(**kw)

    monkeypatch.setattr(kudos, "give_within_quota", failing_once)
    sent = kudos_command_sent(copbot)
    assert WILL_FINISH in responses_to(copbot, sent.response_url)
    assert "try again" not in responses_to(copbot, sent.response_url)
    assert kudos_posts(copbot) == []
    assert redo_later(copbot) == 1
    [post] = kudos_posts(copbot)
    assert kudos_rows() == [("UBOB", post["ts"])]


def test_a_command_the_database_cannot_take_in_is_not_done_and_the_person_told(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    with monkeypatch.context() as patch:
        patch.setattr(inbox, "receive_many", database_down)
        sent = kudos_command_sent(copbot)
    assert sent.status == 200  # Slack shows no error of its own: copbot says what happened
    assert sent.json() == {"response_type": "ephemeral", "text": NOT_TAKEN_IN}
    assert responses_to(copbot, sent.response_url) == ""
    assert kudos_posts(copbot) == [] and kudos_rows() == []
    assert redo_later(copbot) == 0


def create_form_filled_in(copbot: Copbot) -> dict[str, Any]:
    """`/cop create` with no name opens its form; its submission naming "Testing Circle"."""
    copbot.cop("/cop create")
    [opened] = copbot.standin.calls_to("views.open")
    return view_submission_payload(
        user_id="UALICE",
        callback_id="create_community",
        private_metadata="CPYTHON",
        blocks=opened.args["view"]["blocks"],
        values={
            "name": {"name_input": state_value("Testing Circle")},
            "domain": {"domain_input": state_value(None)},
        },
    )


def test_a_form_the_database_cannot_take_in_stays_open_saying_so(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    submission = create_form_filled_in(copbot)
    before = requests()
    with monkeypatch.context() as patch:
        patch.setattr(inbox, "receive_many", database_down)
        answer = copbot.interactive(submission)
    assert answer.status == 200
    assert answer.json() == {"response_action": "errors", "errors": {"name": NOT_TAKEN_IN_FIELD}}
    assert requests() == before
    # what was typed is still in the form: submitted again, it is done
    assert copbot.interactive(submission).status == 200
    assert "Testing Circle" in copbot.standin.last_message("CPYTHON")["text"]


def test_a_form_whose_door_died_before_its_work_is_done_by_a_work_process(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recorded, then the process answering it died: its lease runs out and a work process
    takes it from the inbox (forms are not only done by the door that answers them)."""
    submission = create_form_filled_in(copbot)
    with monkeypatch.context() as patch:
        patch.setattr(copbot.door.worker, "start", lambda *a, **k: None)  # died: never run
        patch.setattr(door_module, "FORM_ANSWER_SECONDS", 0.1)
        copbot.interactive(submission)
    [key] = [k for k, status, _ in requests() if status == "pending"]
    assert redo_later(copbot) == 1
    assert [(status, attempts) for k, status, attempts in requests() if k == key] == [("done", 2)]
    assert "Testing Circle" in copbot.standin.last_message("CPYTHON")["text"]


def test_a_form_opened_by_a_second_handling_says_to_try_again(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A trigger_id lives 3 seconds: a form a command opens is not opened minutes later."""
    copbot.cop("/cop create Python Guild")
    copbot.standin.fail("views.open", error="expired_trigger_id")
    reply = copbot.cop("/cop schedule")
    assert EXPIRED_FORM in reply.text


def test_a_command_its_person_ran_again_is_not_done_a_second_time(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch, clock: Callable[[timedelta], None]
) -> None:
    """Recorded just before its 200, then copbot died: Slack showed the giver an error (as
    if the 200 never went out) after 3 seconds, and they ran it again. The first is settled,
    not redone."""
    copbot.cop("/cop create Python Guild")
    monkeypatch.setattr(kudos, "give_within_quota", dies_once(kudos.give_within_quota))
    first = kudos_command_sent(copbot)
    other = kudos_command_sent(copbot, "kudos @carol for the docs")  # not the same request
    clock(timedelta(seconds=4))  # Slack's error, then the person's retry
    again = kudos_command_sent(copbot)
    assert len(kudos_posts(copbot)) == 2
    assert redo_later(copbot) == 1
    assert sorted(r for r, _ in kudos_rows()) == ["UBOB", "UCAROL"]
    assert len(kudos_posts(copbot)) == 2
    statuses = {key: status for key, status, _ in requests()}
    assert statuses[f"trigger {first.trigger_id}"] == "done"
    assert {statuses[f"trigger {r.trigger_id}"] for r in (other, again)} == {"done"}


def test_the_same_command_typed_twice_within_seconds_is_done_twice(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No error can have shown in between (Slack waits 3 seconds): two requests, not a retry,
    even when the first is handled after the second (dropped, or waiting in the inbox)."""
    copbot.cop("/cop create Python Guild")
    monkeypatch.setattr(kudos, "give_within_quota", dies_once(kudos.give_within_quota))
    first = kudos_command_sent(copbot)
    second = kudos_command_sent(copbot)
    assert redo_later(copbot) == 1
    assert len(kudos_posts(copbot)) == 2
    assert "You thanked Bob" in responses_to(copbot, first.response_url)
    assert "You thanked Bob" in responses_to(copbot, second.response_url)
