"""guarded(): listeners get whatever Bolt injects, and their errors never cost the ack."""

from __future__ import annotations

from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.errors import CopError, guarded
from sandbox.slack import SlackStandIn, sign_request, slash_command_body

SECRET = "guarded-test-secret"


def _app(standin: SlackStandIn) -> App:
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    return App(signing_secret=SECRET, client=client, process_before_response=True)


def _command(app: App, standin: SlackStandIn, text: str = "") -> Any:
    body = slash_command_body(
        text=text,
        user_id="UALICE",
        channel_id="C1",
        team_id="T1",
        response_url=standin.new_response_url("C1", user="UALICE"),
    )
    return app.dispatch(BoltRequest(body=body, headers=sign_request(body, SECRET)))


def test_a_listener_gets_any_argument_bolt_injects(standin: SlackStandIn) -> None:
    seen: dict[str, Any] = {}

    def listener(ack: Any, request: Any, body: dict[str, Any], payload: Any, context: Any) -> None:
        ack()
        seen.update(request=request, body=body, payload=payload, context=context)

    app = _app(standin)
    app.command("/cop")(guarded(listener))
    assert _command(app, standin, "hello").status == 200
    assert seen["body"]["text"] == "hello" and seen["payload"]["text"] == "hello"
    assert seen["request"].body is seen["body"] and seen["context"]["team_id"] == "T1"


def test_a_listener_asking_for_what_bolt_never_gives_fails_at_registration() -> None:
    def listener(ack: Any, settings: Any) -> None: ...

    with pytest.raises(TypeError, match=r"listener asks for \['settings'\]"):
        guarded(listener)


def test_a_refusal_raised_before_the_ack_is_still_acked_and_answered(
    standin: SlackStandIn,
) -> None:
    def listener(ack: Any) -> None:
        raise CopError("not like that")

    app = _app(standin)
    app.command("/cop")(guarded(listener))
    assert _command(app, standin).status == 200
    [answer] = standin.responses
    assert answer["body"]["text"] == ":information_source: not like that"
