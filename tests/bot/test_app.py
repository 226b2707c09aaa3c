"""The app over HTTP: request verification, de-duplication, retries and error handling."""

from __future__ import annotations

import logging
import time
import urllib.request
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.errors import SOMETHING_WENT_WRONG
from sandbox.slack import SlackStandIn, sign_request, slash_command_body
from storage import communities
from tests.harness import SIGNING_SECRET, Copbot, running_copbot, settings_for


def _mention(text: str = "hello") -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": "UALICE",
        "text": f"<@UCOPBOT> {text}",
        "channel": "CPYTHON",
        "ts": "1700000000.000100",
    }


def _command_body(copbot: Copbot, text: str = "help") -> str:
    return slash_command_body(
        "/cop",
        text,
        user_id="UALICE",
        channel_id="CPYTHON",
        response_url=copbot.standin.new_response_url("CPYTHON"),
    )


def test_a_bad_signature_is_refused(copbot: Copbot) -> None:
    body = _command_body(copbot)
    headers = sign_request(body, "not-the-secret")
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    assert copbot.sender.post_raw(body, headers).status == 401
    assert copbot.standin.responses == []


def test_a_request_older_than_five_minutes_is_refused(copbot: Copbot) -> None:
    stale = int(time.time()) - 6 * 60
    assert (
        copbot.sender.command("help", user="UALICE", channel="CPYTHON", timestamp=stale).status
        == 401
    )
    copbot.wait_idle()
    assert copbot.standin.responses == []


def test_a_correctly_signed_request_passes(copbot: Copbot) -> None:
    body = _command_body(copbot)
    headers = sign_request(body, SIGNING_SECRET)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    assert copbot.sender.post_raw(body, headers).status == 200


def test_the_same_event_delivered_twice_has_one_effect(copbot: Copbot) -> None:
    asked = copbot.standin.add_message("CPYTHON", "UALICE", "<@UCOPBOT> what about fixtures?")
    mention = {**_mention("what about fixtures?"), "ts": asked["ts"]}
    first = copbot.event(mention, event_id="Ev0DUPLICATE")
    again = copbot.event(mention, event_id="Ev0DUPLICATE", retry_num=1)
    socket_mode_resend = copbot.event(mention, event_id="Ev0DUPLICATE")
    assert [r.status for r in (first, again, socket_mode_resend)] == [200] * 3
    assert len(copbot.standin.calls_to("chat.postMessage")) == 1
    copbot.event(mention, event_id="Ev0OTHER")
    assert len(copbot.standin.calls_to("chat.postMessage")) == 2


def test_a_rate_limited_call_is_retried_after_retry_after(copbot: Copbot) -> None:
    copbot.standin.fail("chat.postMessage", status=429, retry_after=1)
    reply = copbot.cop("/cop create Python Guild")
    assert reply.status == 200
    calls = copbot.standin.calls_to("chat.postMessage")
    assert [c.failed for c in calls] == ["ratelimited", None]
    assert calls[1].at - calls[0].at >= 1.0  # Retry-After was honoured
    assert "Python Guild" in copbot.standin.last_message("CPYTHON")["text"]


def test_a_server_error_is_retried(copbot: Copbot) -> None:
    copbot.standin.fail("conversations.info", status=500)
    copbot.cop("/cop create Python Guild")
    assert [c.failed for c in copbot.standin.calls_to("conversations.info")] == ["http_500", None]
    assert "Python Guild" in copbot.standin.last_message("CPYTHON")["text"]


def test_a_slack_error_is_explained_without_a_traceback(
    copbot: Copbot, caplog: pytest.LogCaptureFixture
) -> None:
    copbot.standin.fail("conversations.info", error="fatal_error")
    with caplog.at_level(logging.INFO):
        reply = copbot.cop("/cop create Python Guild")
    assert reply.status == 200
    assert "Slack didn't accept" in reply and "fatal_error" in reply
    assert not [r for r in caplog.records if r.exc_info]


def test_a_refusal_is_logged_without_a_traceback(
    copbot: Copbot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        reply = copbot.cop("/cop create Python Guild", channel="DALICE")
    assert "Communities live in channels" in reply
    assert not [r for r in caplog.records if r.exc_info]


def test_our_own_bug_is_logged_with_its_traceback_and_the_user_is_told(
    copbot: Copbot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(communities, "community_overview", broken)
    copbot.cop("/cop create Python Guild")
    with caplog.at_level(logging.INFO):
        reply = copbot.cop("/cop info")
    assert reply.status == 200
    assert SOMETHING_WENT_WRONG in reply
    [record] = [r for r in caplog.records if r.exc_info]
    assert "boom" in str(record.exc_info[1])


def test_oauth_installs_are_served_when_configured(engine: Engine, standin: SlackStandIn) -> None:
    settings = settings_for(
        standin,
        engine.url.render_as_string(hide_password=False),
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="client-secret-value",
    )
    with running_copbot(standin, settings) as bot:
        with urllib.request.urlopen(f"{bot.url}/slack/install", timeout=5) as answer:
            page = answer.read().decode()
        assert answer.status == 200
        assert "https://slack.com/oauth/v2/authorize?state=" in page
        assert "client_id=111.222" in page and "scope=app_mentions" in page
