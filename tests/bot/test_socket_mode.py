"""`copbot run` in Socket Mode, as a real process, against the stand-in's Socket Mode server:
commands, reactions and modals arrive in envelopes and are acked over the websocket."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from sandbox.slack import SlackStandIn, reaction_event, state_value, view_submission_payload
from sandbox.slack.socket_mode import Delivery
from storage import communities, db
from storage.models import Community, Kudos, Snippet
from tests.bot.test_inbox import endorsements, inbox_rows
from tests.handlers.test_atomic_rules import at_once
from tests.harness import TEAM, flatten_text
from tests.processes import start_socket_copbot

pytestmark = pytest.mark.slow


@pytest.fixture
def socket_copbot(
    engine: Engine, standin: SlackStandIn, tmp_path: Path
) -> Iterator[subprocess.Popen]:
    process = start_socket_copbot(engine, standin, tmp_path)
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


def cop(
    standin: SlackStandIn, text: str, *, user: str = "UALICE", channel: str = "CPYTHON"
) -> Delivery:
    """`/cop <text>` typed as Slack sends it (escaped, linked) in a slash_commands envelope."""
    return standin.socket.send_command(
        standin.typed(text, command=True), user=user, channel=channel
    )


def answer(standin: SlackStandIn, delivery: Delivery) -> str:
    """What copbot sent to the command's response_url (waiting for it)."""
    url = delivery.body["response_url"]

    def answered() -> str:
        return " ".join(flatten_text(r["body"]) for r in standin.responses if r["url"] == url)

    return standin.wait_for(answered, timeout=30)


def bulb(standin: SlackStandIn, ts: str, *, user: str = "UALICE", **kw: Any) -> Delivery:
    event = reaction_event(user, "bulb", channel="CPYTHON", ts=ts, item_user="UBOB")
    return standin.socket.send_event(event, **kw)


def settled(standin: SlackStandIn, event_ids: list[str]) -> list[tuple[str, str, int]]:
    """The inbox rows of `event_ids` once all are done (waiting for them)."""

    def done() -> list[tuple[str, str, int]]:
        rows = [r for r in inbox_rows() if r[0] in event_ids]
        return rows if len(rows) == len(event_ids) and {r[1] for r in rows} == {"done"} else []

    return standin.wait_for(done, timeout=30)


def mention(standin: SlackStandIn, user: str = "UBOB") -> dict[str, Any]:
    """`user` asks copbot in #python (an app_mention: copbot answers each one in its thread)."""
    text = f"<@{standin.bot_user_id}> what do we know about pathlib?"
    ts = standin.add_message("CPYTHON", user, text)["ts"]
    event = {"type": "app_mention", "user": user, "text": text, "ts": ts}
    event.update(channel="CPYTHON", event_ts=ts, team=TEAM)
    return event


def answers(standin: SlackStandIn, mentions: list[Delivery]) -> list[int]:
    """How many times copbot answered each of these mentions, once it answered them all and
    one more asked after them (so that an answer given twice has had time to arrive)."""

    def answered(ts: str) -> int:
        calls = standin.calls_to("chat.postMessage")
        return sum(c.args.get("thread_ts") == ts for c in calls if c.args["channel"] == "CPYTHON")

    last = standin.socket.send_event(mention(standin))
    stamps = [d.body["event"]["ts"] for d in [*mentions, last]]
    standin.wait_for(lambda: all(answered(ts) for ts in stamps), timeout=30)
    return [answered(ts) for ts in stamps[:-1]]


def community_named(standin: SlackStandIn, name: str) -> Community:
    """The community of #python once it is called `name` (waiting for it)."""

    def found() -> Community | None:
        with db.session() as session:
            community = communities.community_for_channel(
                session=session, team_id=TEAM, channel_id="CPYTHON"
            )
        return community if community is not None and community.name == name else None

    return standin.wait_for(found, timeout=30)


def posted(standin: SlackStandIn, words: str) -> dict[str, Any]:
    """The message in #python that says `words` (waiting for it)."""

    def found() -> dict[str, Any] | None:
        return next((m for m in standin.messages("CPYTHON") if words in m["text"]), None)

    return standin.wait_for(found, timeout=30)


def python_guild(standin: SlackStandIn) -> None:
    cop(standin, "create Python Guild")
    community_named(standin, "Python Guild")


def test_commands_are_acked_over_the_socket_and_done(
    standin: SlackStandIn, socket_copbot: subprocess.Popen
) -> None:
    created = cop(standin, "create Python Guild")
    assert created.ack == {"envelope_id": created.envelope_id}
    community_named(standin, "Python Guild")
    posted(standin, "Python Guild")

    kudos = cop(standin, "kudos @bob for the review")
    assert kudos.acked.is_set()
    assert "kudos left today" in answer(standin, kudos)
    with db.session() as session:
        [row] = session.exec(select(Kudos)).all()
    assert (row.giver_id, row.receiver_id) == ("UALICE", "UBOB")
    post = standin.last_message("CPYTHON")
    assert "gave kudos to" in post["text"] and row.message_ts == post["ts"]


def test_a_bulb_reaction_captures_knowledge(
    standin: SlackStandIn, socket_copbot: subprocess.Popen
) -> None:
    python_guild(standin)
    ts = standin.add_message("CPYTHON", "UBOB", "use pathlib for paths")["ts"]
    sent = bulb(standin, ts)
    settled(standin, [sent.body["event_id"]])
    assert endorsements() == [(ts, "UALICE")]
    with db.session() as session:
        [snippet] = session.exec(select(Snippet)).all()
    assert snippet.text.startswith("use pathlib")


def test_a_modal_opened_by_a_command_answers_bad_input_in_its_ack(
    standin: SlackStandIn, socket_copbot: subprocess.Popen
) -> None:
    command = cop(standin, "create")
    [call] = standin.wait_for(lambda: standin.calls_to("views.open"), timeout=30)
    assert call.args["trigger_id"] == command.body["trigger_id"]
    view = call.response["view"] if call.response else {}
    assert view["callback_id"] == "create_community"

    def submit(name: str) -> Delivery:
        values = {"name": {"name_input": state_value(name)}}
        values["domain"] = {"domain_input": state_value("pytest, hypothesis and friends")}
        payload = view_submission_payload(
            user_id="UALICE",
            callback_id="create_community",
            private_metadata=view["private_metadata"],
            view_id=view["id"],
            blocks=view["blocks"],
            values=values,
        )
        return standin.socket.send_interactive(payload)

    refused = submit("!!!")
    assert refused.envelope["accepts_response_payload"] is True
    assert refused.payload["response_action"] == "errors"
    assert "letter or digit" in refused.payload["errors"]["name"]

    accepted = submit("Testing Circle")
    assert accepted.payload is None  # a bare ack closes the modal
    community_named(standin, "Testing Circle")
    posted(standin, "Testing Circle")


def test_after_slack_asks_for_a_new_connection_events_arrive_over_it_once(
    standin: SlackStandIn, socket_copbot: subprocess.Popen
) -> None:
    python_guild(standin)
    [first_link] = standin.socket.deliveries[0].links
    opened = len(standin.calls_to("apps.connections.open"))
    assert standin.socket.disconnect("refresh_requested") == 1
    standin.wait_for(lambda: len(standin.calls_to("apps.connections.open")) > opened)
    standin.socket.wait_for_connections(1)
    ts = standin.add_message("CPYTHON", "UBOB", "use pathlib for paths")["ts"]
    sent = bulb(standin, ts)
    asked = standin.socket.send_event(mention(standin))
    for delivery in (sent, asked):
        assert first_link not in delivery.links and delivery.acked_over == delivery.links[-1]
    assert settled(standin, [sent.body["event_id"]]) == [(sent.body["event_id"], "done", 1)]
    assert endorsements() == [(ts, "UALICE")]
    assert answers(standin, [asked]) == [1]


def test_an_event_whose_ack_slack_lost_is_sent_again_and_handled_once(
    standin: SlackStandIn, socket_copbot: subprocess.Popen, tmp_path: Path
) -> None:
    standin.socket.lose_acks(1)
    sent = standin.socket.send_event(mention(standin))  # returns once the retry is acked
    assert len(sent.links) == 2
    assert (sent.envelope["retry_attempt"], sent.envelope["retry_reason"]) == (1, "timeout")
    event_id = sent.body["event_id"]
    log = (tmp_path / "copbot.log").read_text()
    assert log.count(f"skipping re-delivered event {event_id}") == 1  # the inbox knew it
    assert settled(standin, [event_id]) == [(event_id, "done", 1)]
    assert answers(standin, [sent]) == [1]


def test_two_processes_share_the_envelopes_and_handle_each_once(
    engine: Engine, standin: SlackStandIn, socket_copbot: subprocess.Popen, tmp_path: Path
) -> None:
    (tmp_path / "second").mkdir()
    second = start_socket_copbot(engine, standin, tmp_path / "second")
    try:
        assert standin.socket.connections() == 2
        sent = at_once(6, lambda i: standin.socket.send_event(mention(standin)))
        assert len({d.acked_over for d in sent}) == 2  # both processes took some
        assert all(d.acked_over == d.links[-1] for d in sent)
        event_ids = [d.body["event_id"] for d in sent]
        assert sorted(settled(standin, event_ids)) == sorted((e, "done", 1) for e in event_ids)
        assert answers(standin, sent) == [1] * len(sent)
    finally:
        assert stop(second) == 0


def test_sigterm_stops_it_cleanly(
    standin: SlackStandIn, socket_copbot: subprocess.Popen, tmp_path: Path
) -> None:
    python_guild(standin)
    assert stop(socket_copbot) == 0
    standin.socket.wait_for_connections(0)
    lines = (tmp_path / "copbot.log").read_text().splitlines()
    assert "stopping" in "".join(lines) and lines[-1].endswith("copbot: stopped")


def test_a_stream_of_envelopes_is_read_and_acked_without_breaking_the_connection(
    standin: SlackStandIn, socket_copbot: subprocess.Popen, tmp_path: Path
) -> None:
    """slack_sdk's built-in client reads frames recursively, one call per buffer's worth of
    bytes until a read ends where a frame does: with its 1 KiB default, envelopes longer than
    that arriving without a pause went past Python's recursion limit and the connection
    broke (RecursionError, frames misread, every ack lost). copbot reads 64 KiB at a time."""
    python_guild(standin)
    door = door_of(socket_copbot)
    os.kill(door, signal.SIGSTOP)  # a stall: envelopes pile up, then arrive as one stream
    stream = []
    for i in range(1500):
        text = f"message {i} " + "with some words in it " * 60
        ts = standin.add_message("CPYTHON", "UBOB", text)["ts"]
        event = {"type": "message", "user": "UBOB", "text": text, "ts": ts, "channel": "CPYTHON"}
        stream.append(standin.socket.send_event(event, wait=False))
    os.kill(door, signal.SIGCONT)
    for delivery in stream:
        delivery.wait(120)
    assert len(settled(standin, [d.body["event_id"] for d in stream])) == len(stream)
    log = (tmp_path / "copbot.log").read_text()
    assert "RecursionError" not in log and "unsupported data frame" not in log


def door_of(run: subprocess.Popen) -> int:
    """The pid of `copbot run`'s door process."""
    children = Path(f"/proc/{run.pid}/task/{run.pid}/children").read_text().split()
    for pid in children:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"door" in command:
            return int(pid)
    raise AssertionError(f"no door among {children}")
