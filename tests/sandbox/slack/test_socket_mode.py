"""The stand-in's Socket Mode, driven by a raw websocket client (to see every message as it
goes over the wire) and by slack_sdk's own Socket Mode client (what `copbot run` uses)."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from sandbox.slack import SlackStandIn, block_actions_payload, view_submission_payload
from tests.harness import seed_workspace


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as slack:
        seed_workspace(slack)
        yield slack


def open_url(standin: SlackStandIn, token: str | None = None) -> str:
    client = WebClient(base_url=standin.api_url)
    return str(client.apps_connections_open(app_token=token or standin.socket.app_token)["url"])


def receive(link: ClientConnection) -> dict[str, Any]:
    return dict(json.loads(link.recv(timeout=10)))


@pytest.fixture
def link(standin: SlackStandIn) -> Iterator[ClientConnection]:
    with connect(open_url(standin)) as connection:
        yield connection


def test_only_the_app_level_token_opens_a_connection(standin: SlackStandIn) -> None:
    assert open_url(standin).startswith("ws://127.0.0.1:")
    for token, error in ((standin.bot_token, "not_allowed_token_type"), ("xapp-x", "invalid_auth")):
        with pytest.raises(SlackApiError) as refused:
            open_url(standin, token)
        assert refused.value.response["error"] == error
    app_client = WebClient(token=standin.socket.app_token, base_url=standin.api_url)
    with pytest.raises(SlackApiError) as refused:
        app_client.chat_postMessage(channel="CPYTHON", text="hi")
    assert refused.value.response["error"] == "not_allowed_token_type"


def test_a_url_opens_one_connection_only(standin: SlackStandIn) -> None:
    url = open_url(standin)
    with connect(url), pytest.raises(InvalidStatus), connect(url):
        pass
    with pytest.raises(InvalidStatus), connect(url.replace("ticket=", "ticket=x")):
        pass


def test_hello_then_envelopes_in_slacks_shapes_and_their_acks(
    standin: SlackStandIn, link: ClientConnection
) -> None:
    hello = receive(link)
    assert hello["type"] == "hello" and hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": standin.app_id} and hello["debug_info"]

    event = {"type": "app_home_opened", "user": "UALICE", "tab": "home"}
    sent = standin.socket.send_event(event, event_id="Ev0001", wait=False)
    envelope = receive(link)
    assert set(envelope) == {
        "envelope_id",
        "type",
        "accepts_response_payload",
        "retry_attempt",
        "retry_reason",
        "payload",
    }
    assert envelope["type"] == "events_api" and envelope["accepts_response_payload"] is False
    assert (envelope["retry_attempt"], envelope["retry_reason"]) == (0, "")
    callback = envelope["payload"]
    assert callback["type"] == "event_callback" and callback["event"] == event
    assert callback["event_id"] == "Ev0001" and callback["api_app_id"] == standin.app_id
    assert callback["authorizations"][0]["user_id"] == standin.bot_user_id
    link.send(json.dumps({"envelope_id": envelope["envelope_id"]}))
    assert sent.wait().ack == {"envelope_id": envelope["envelope_id"]} and sent.payload is None

    command = standin.socket.send_command(
        "kudos &lt;@UBOB&gt;", user="UALICE", channel="CPYTHON", wait=False
    )
    envelope = receive(link)
    assert envelope["type"] == "slash_commands" and envelope["accepts_response_payload"] is True
    fields = envelope["payload"]
    assert fields["command"] == "/cop" and fields["text"] == "kudos &lt;@UBOB&gt;"
    assert (fields["user_id"], fields["channel_id"], fields["channel_name"]) == (
        "UALICE",
        "CPYTHON",
        "python",
    )
    assert fields["response_url"].startswith(standin.base_url) and fields["trigger_id"]
    answer = {"envelope_id": envelope["envelope_id"], "payload": {"text": "Done."}}
    link.send(json.dumps(answer))
    assert command.wait().payload == {"text": "Done."}


def test_view_submissions_may_answer_in_their_ack_and_buttons_not(
    standin: SlackStandIn, link: ClientConnection
) -> None:
    receive(link)  # hello
    form = view_submission_payload(user_id="UALICE", callback_id="create_community", values={})
    standin.socket.send_interactive(form, wait=False)
    envelope = receive(link)
    assert envelope["type"] == "interactive" and envelope["accepts_response_payload"] is True
    assert envelope["payload"] == form
    button = block_actions_payload(user_id="UALICE", action_id="x", channel_id="CPYTHON")
    standin.socket.send_interactive(button, wait=False)
    assert receive(link)["accepts_response_payload"] is False


def test_envelopes_go_over_the_open_connections_in_turn(standin: SlackStandIn) -> None:
    with connect(open_url(standin)) as first, connect(open_url(standin)) as second:
        assert receive(first)["num_connections"] == 1
        assert receive(second)["num_connections"] == 2
        standin.socket.wait_for_connections(2)
        for i in range(4):
            standin.socket.send_event({"type": "app_home_opened", "user": f"U{i}"}, wait=False)
        got = [receive(first)["payload"]["event"]["user"] for _ in range(2)]
        got += [receive(second)["payload"]["event"]["user"] for _ in range(2)]
    assert sorted(got) == ["U0", "U1", "U2", "U3"]
    assert {tuple(d.links) for d in standin.socket.deliveries} == {(1,), (2,)}


def test_an_unacked_event_is_sent_again_and_a_command_is_not(
    standin: SlackStandIn, link: ClientConnection
) -> None:
    receive(link)  # hello
    standin.socket.retry_after = 0.2
    sent = standin.socket.send_event({"type": "app_home_opened", "user": "U1"}, wait=False)
    standin.socket.send_command("help", user="UALICE", channel="CPYTHON", wait=False)
    first, command, again = receive(link), receive(link), receive(link)
    assert command["type"] == "slash_commands"
    assert again["envelope_id"] == first["envelope_id"]
    assert (again["retry_attempt"], again["retry_reason"]) == (1, "timeout")
    assert again["payload"] == first["payload"]
    link.send(json.dumps({"envelope_id": again["envelope_id"]}))
    assert sent.wait().links == [1, 1]


def test_without_retries_an_unacked_event_is_sent_once(
    standin: SlackStandIn, link: ClientConnection
) -> None:
    receive(link)  # hello
    standin.socket.retry_after = None
    sent = standin.socket.send_event({"type": "app_home_opened", "user": "U1"}, wait=False)
    receive(link)
    standin.socket.send_command("help", user="UALICE", channel="CPYTHON", wait=False)
    assert receive(link)["type"] == "slash_commands"  # and no retry before it
    assert sent.links == [1]


@pytest.mark.slow  # slack_sdk's client takes seconds to start reading a new connection
def test_slack_sdks_client_reconnects_when_asked_and_answers_over_the_new_connection(
    standin: SlackStandIn,
) -> None:
    client = SocketModeClient(
        app_token=standin.socket.app_token, web_client=WebClient(base_url=standin.api_url)
    )
    seen: list[SocketModeRequest] = []
    handled = threading.Event()

    def listener(client: Any, request: SocketModeRequest) -> None:
        seen.append(request)
        client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))
        handled.set()

    client.socket_mode_request_listeners.append(listener)
    try:
        client.connect()
        standin.socket.wait_for_connections(1)
        assert standin.socket.disconnect("refresh_requested") == 1
        standin.wait_for(lambda: len(standin.calls_to("apps.connections.open")) == 2)
        standin.socket.wait_for_connections(1)
        sent = standin.socket.send_event({"type": "app_home_opened", "user": "U1"})
        # only over the new connection (slack_sdk may start reading it late: then it is
        # sent again, as Slack does, over the same connection)
        assert set(sent.links) == {2} and sent.acked_over == 2
        assert {r.envelope_id for r in seen} == {sent.envelope_id}
    finally:
        client.close()
    standin.socket.wait_for_connections(0)


def test_without_websockets_it_answers_an_error_and_the_web_api_goes_on(
    standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sandbox runs without the dev extras: Socket Mode is refused, nothing else changes."""
    monkeypatch.setitem(sys.modules, "websockets.sync.server", None)
    with pytest.raises(SlackApiError) as refused:
        open_url(standin)
    assert refused.value.response["error"] == "fatal_error"
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    assert client.chat_postMessage(channel="CPYTHON", text="hi")["ok"]
