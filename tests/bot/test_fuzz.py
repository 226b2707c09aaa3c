"""Fuzzing POST /slack/events (issue 13): whatever arrives, copbot answers, and only Slack's
own requests can make it act.

Unsigned requests of any shape (headers, bodies, encodings) get 400, 401 or 413: no 5xx, no
state change, no Web API call, no log line above DEBUG. Signed requests in Slack's shapes
with values a person controls (text, ids, button values, form fields) get no 5xx and leave
no traceback in the logs.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sandbox.slack import (
    block_actions_payload,
    interactive_body,
    sign_request,
    slash_command_body,
    view_submission_payload,
)
from storage import db
from storage.models import Community, InboxEvent, Kudos, Snippet, UserProfile
from tests.harness import SIGNING_SECRET, Copbot

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
IDS = st.sampled_from(["CPYTHON", "CRANDOM", "CSECRET", "DALICE", "CNOWHERE", "G1", "", "x" * 80])
USERS = st.sampled_from(["UALICE", "UBOB", "UCOPBOT", "UNOBODY", "WEXT1", ""])
TABLES = (Community, InboxEvent, Kudos, Snippet, UserProfile)
SEEN: list[int] = []


def _counts() -> tuple[int, ...]:
    with db.session() as session:
        return tuple(
            int(session.execute(select(func.count()).select_from(t)).scalar_one()) for t in TABLES
        )


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


HEADER_VALUES = st.one_of(
    TEXT,
    st.just(str(int(time.time()))),
    st.just("9" * 5000),
    st.just("v0=" + "a" * 64),
    st.text(alphabet="0123456789abcdef", max_size=70).map(lambda h: "v0=" + h),
)
HEADERS = st.dictionaries(
    st.sampled_from(
        ["X-Slack-Request-Timestamp", "X-Slack-Signature", "Content-Type", "X-Slack-Retry-Num"]
    ),
    HEADER_VALUES.map(
        lambda v: (
            v.encode("latin-1", "replace").decode("latin-1").replace("\r", "").replace("\n", "")
        )
    ),
)
BODIES = st.one_of(
    st.binary(max_size=300),
    TEXT.map(str.encode),
    st.sampled_from(
        [b"{", b"[1]", b"payload=null", b"payload=%7B%7D", b'{"type":"event_callback"}']
    ),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8)).map(lambda d: json.dumps(d).encode()),
)


@pytest.mark.slow
@FUZZ
@given(headers=HEADERS, body=BODIES)
def test_an_unsigned_request_of_any_shape_is_refused_and_changes_nothing(
    copbot: Copbot, caplog: pytest.LogCaptureFixture, headers: dict[str, str], body: bytes
) -> None:
    copbot.standin.clear_calls()
    before = _counts()
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    sent = copbot.sender.post_raw(body, headers)
    copbot.wait_idle()
    assert sent.status in (400, 401, 413), (sent.status, sent.body)
    assert copbot.standin.calls == [] and copbot.standin.responses == []
    assert _counts() == before
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert loud == []


def _slash(copbot: Copbot, text: str, user: str, channel: str) -> tuple[str, str]:
    body = slash_command_body(
        text=text,
        user_id=user,
        channel_id=channel,
        response_url=copbot.standin.new_response_url(channel or None, user=user or None),
    )
    return body, "application/x-www-form-urlencoded"


def _event(event: dict[str, Any]) -> tuple[str, str]:
    envelope = {
        "token": "x",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{time.monotonic_ns()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0001", "user_id": "UCOPBOT", "is_bot": True}],
    }
    return json.dumps(envelope), "application/json"


EVENT_TYPES = st.sampled_from(
    [
        "message",
        "reaction_added",
        "reaction_removed",
        "member_joined_channel",
        "member_left_channel",
        "app_mention",
        "app_home_opened",
        "channel_archive",
        "group_deleted",
        "user_change",
    ]
)
EVENTS = st.fixed_dictionaries(
    {"type": EVENT_TYPES, "user": USERS, "channel": IDS, "text": TEXT, "ts": TEXT},
    optional={
        "reaction": st.sampled_from(["bulb", "books", "raised_hands", "+1::skin-tone-2", ""]),
        "item": st.fixed_dictionaries({"type": st.just("message"), "channel": IDS, "ts": TEXT}),
        "item_user": USERS,
        "subtype": st.sampled_from(["message_changed", "message_deleted", "bot_message", "x"]),
        "thread_ts": TEXT,
        "team": st.sampled_from(["T0001", "T0002", ""]),
        "tab": st.sampled_from(["home", "messages"]),
        "message": st.fixed_dictionaries({"ts": TEXT, "user": USERS, "text": TEXT}),
    },
)
ACTIONS = st.sampled_from(
    [
        "search_more",
        "search_previous",
        "help_show",
        "endorse_undo",
        "reject_snippet",
        "snippet_show",
        "confirm_snippet",
        "home_share",
        "home_search",
        "forget_me_confirm",
        "x",
    ]
)
CALLBACKS = st.sampled_from(
    ["share_knowledge", "save_knowledge", "create_community", "schedule", "home_search_submit"]
)
COMMAND_WORDS = st.sampled_from(
    [
        "",
        "help",
        "share",
        "search",
        "kudos",
        "create",
        "info",
        "prompt add",
        "schedule",
        "top",
        "settings",
        "facilitator add",
        "export",
        "stats",
        "digest",
        "forget",
        "experts",
        "join",
    ]
)


@st.composite
def slack_requests(draw: st.DrawFn, copbot: Copbot) -> tuple[str, str]:
    kind = draw(st.sampled_from(["command", "event", "action", "view"]))
    if kind == "command":
        text = f"{draw(COMMAND_WORDS)} {draw(TEXT)}".strip()
        return _slash(copbot, text, draw(USERS), draw(IDS))
    if kind == "event":
        return _event(draw(EVENTS))
    if kind == "action":
        payload = block_actions_payload(
            user_id=draw(USERS),
            action_id=draw(ACTIONS),
            value=draw(TEXT),
            channel_id=draw(IDS),
            response_url=copbot.standin.new_response_url(None),
        )
    else:
        field = st.fixed_dictionaries({"value": TEXT})
        payload = view_submission_payload(
            user_id=draw(USERS),
            callback_id=draw(CALLBACKS),
            private_metadata=draw(TEXT),
            values=draw(
                st.dictionaries(TEXT, st.dictionaries(TEXT, field, max_size=2), max_size=3)
            ),
        )
    return interactive_body(payload), "application/x-www-form-urlencoded"


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_slack_shaped_requests_with_any_values_get_an_answer_not_a_traceback(
    copbot: Copbot, caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    if not _counts()[0]:  # a community to act in, once per test
        copbot.cop("/cop create Python Guild")
    body, content_type = data.draw(slack_requests(copbot))
    caplog.set_level(logging.INFO)
    caplog.clear()
    headers = sign_request(body, SIGNING_SECRET, content_type=content_type)
    sent = copbot.sender.post_raw(body, headers)
    SEEN.append(sent.status)
    copbot.wait_idle()
    assert sent.status < 500, (sent.status, sent.body)
    assert _tracebacks(caplog) == []
    assert copbot.errors == []


@pytest.mark.slow
def test_the_fuzzing_reached_copbot() -> None:
    """The signed fuzz above was answered by copbot, not refused at the gate."""
    if not SEEN:
        pytest.skip("run with the signed fuzz test")
    assert SEEN.count(200) > len(SEEN) // 2, SEEN
