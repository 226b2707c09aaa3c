"""The Slack stand-in and signer, driven through the real slack_sdk clients."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qs
from urllib.request import Request, urlopen

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from sandbox.slack import (
    SlackSender,
    SlackStandIn,
    event_body,
    interactive_body,
    sign_request,
    state_value,
    view_submission_payload,
)
from sandbox.slack.params import page
from tests.shared import OPENAPI_SPEC

SECRET = "test-signing-secret"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(spec_path=OPENAPI_SPEC) as slack:
        slack.add_user("U1", "alice")
        slack.add_user("U2", "bob")
        slack.add_channel("C1", "general", members=["U1", "U2", slack.bot_user_id])
        yield slack


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token=standin.bot_token, base_url=standin.api_url)


def error_of(call: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The body of the SlackApiError a client call raises."""
    with pytest.raises(SlackApiError) as raised:
        call(*args, **kwargs)
    return dict(raised.value.response.data)


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


# ----- identity and messages ------------------------------------------------------------
def test_auth_test_names_the_bot(client: WebClient, standin: SlackStandIn) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T0001" and answer["user_id"] == "UCOPBOT"
    assert answer["bot_id"] == "BCOPBOT" and answer["url"] == "https://test.slack.com/"
    assert standin.calls_to("auth.test")[0].token == "xoxb-test-token"


def test_posted_message_is_stored_and_recorded(client: WebClient, standin: SlackStandIn) -> None:
    posted = client.chat_postMessage(channel="C1", text="hello", blocks=[section("*hello*")])
    stored = standin.last_message("C1")
    assert stored is not None and stored["ts"] == posted["ts"] == posted["message"]["ts"]
    assert stored["text"] == "hello" and stored["bot_id"] == "BCOPBOT"
    assert stored["user"] == "UCOPBOT" and stored["blocks"] == [section("*hello*")]
    call = standin.calls_to("chat.postMessage")[0]
    assert call.args["blocks"] == [section("*hello*")] and call.failed is None
    assert call.headers["Content-Type"].startswith("application/json")
    assert call.response is not None and call.response["ts"] == posted["ts"]


def test_blocks_sent_as_form_json_strings_are_decoded(
    client: WebClient, standin: SlackStandIn
) -> None:
    blocks = json.dumps([section("form")])
    client.api_call("chat.postMessage", params={"channel": "C1", "text": "t", "blocks": blocks})
    assert standin.calls_to("chat.postMessage")[0].args["blocks"] == [section("form")]


def test_auto_ts_increases_strictly(standin: SlackStandIn) -> None:
    stamps = [standin.add_message("C1", "U1", f"m{i}")["ts"] for i in range(50)]
    assert stamps == sorted(stamps, key=float) and len(set(stamps)) == 50
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)


def test_replies_update_root_and_come_back_in_order(
    client: WebClient, standin: SlackStandIn
) -> None:
    root = standin.add_message("C1", "U1", "question", ts="1700000000.000100")
    client.chat_postMessage(channel="C1", text="answer", thread_ts=root["ts"])
    standin.add_message("C1", "U2", "me too", thread_ts=root["ts"])
    thread = client.conversations_replies(channel="C1", ts=root["ts"])["messages"]
    assert [m["text"] for m in thread] == ["question", "answer", "me too"]
    assert thread[0]["reply_count"] == 2 and thread[0]["reply_users"] == ["UCOPBOT", "U2"]
    assert thread[0]["latest_reply"] == thread[2]["ts"] and thread[1]["parent_user_id"] == "U1"
    assert error_of(client.conversations_replies, channel="C1", ts="1.000001")["error"] == (
        "thread_not_found"
    )


def test_history_is_newest_first_paginated_and_windowed(
    client: WebClient, standin: SlackStandIn
) -> None:
    for i in range(1, 6):
        standin.add_message("C1", "U1", f"m{i}", ts=f"170000000{i}.000000")
    standin.add_message("C1", "U2", "reply", thread_ts="1700000001.000000")
    client.chat_postMessage(
        channel="C1", text="shout", thread_ts="1700000002.000000", reply_broadcast=True
    )
    texts, cursor = [], None
    while True:
        answer = client.conversations_history(channel="C1", limit=2, cursor=cursor)
        texts += [m["text"] for m in answer["messages"]]
        cursor = answer["response_metadata"]["next_cursor"]
        assert answer["has_more"] == bool(cursor)
        if not cursor:
            break
    assert texts == ["shout", "m5", "m4", "m3", "m2", "m1"]
    window = client.conversations_history(
        channel="C1", oldest="1700000002.000000", latest="1700000004.000000"
    )
    assert [m["text"] for m in window["messages"]] == ["m3"]
    window = client.conversations_history(
        channel="C1", oldest="1700000002.000000", latest="1700000004.000000", inclusive=True
    )
    assert [m["text"] for m in window["messages"]] == ["m4", "m3", "m2"]


def test_members_paginate(client: WebClient, standin: SlackStandIn) -> None:
    standin.set_members("C1", [f"U{i}" for i in range(7)])
    first = client.conversations_members(channel="C1", limit=5)
    rest = client.conversations_members(
        channel="C1", limit=5, cursor=first["response_metadata"]["next_cursor"]
    )
    assert first["members"] + rest["members"] == standin.channel_members("C1")
    assert rest["response_metadata"]["next_cursor"] == ""


def test_permalinks(client: WebClient, standin: SlackStandIn) -> None:
    root = standin.add_message("C1", "U1", "root", ts="1700000000.000100")
    reply = standin.add_message("C1", "U2", "reply", thread_ts=root["ts"])
    link = client.chat_getPermalink(channel="C1", message_ts=root["ts"])["permalink"]
    assert link == "https://test.slack.com/archives/C1/p1700000000000100"
    link = client.chat_getPermalink(channel="C1", message_ts=reply["ts"])["permalink"]
    assert link.endswith(f"?thread_ts={root['ts']}&cid=C1")
    assert error_of(client.chat_getPermalink, channel="C1", message_ts="1.000002")["error"] == (
        "message_not_found"
    )


def test_ephemerals_are_recorded_for_members_only(client: WebClient, standin: SlackStandIn) -> None:
    answer = client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert standin.ephemerals == [
        {
            "channel": "C1",
            "user": "U1",
            "text": "only you",
            "blocks": None,
            "attachments": None,
            "thread_ts": None,
            "ts": answer["message_ts"],
        }
    ]
    standin.add_user("U3", "carol")
    error = error_of(client.chat_postEphemeral, channel="C1", user="U3", text="x")
    assert error["error"] == "user_not_in_channel"
    assert standin.messages("C1") == []


def test_update_and_delete_own_messages_only(client: WebClient, standin: SlackStandIn) -> None:
    ts = client.chat_postMessage(channel="C1", text="draft")["ts"]
    client.chat_update(channel="C1", ts=ts, text="final")
    assert standin.message("C1", ts)["text"] == "final"  # type: ignore[index]
    theirs = standin.add_message("C1", "U1", "mine")["ts"]
    assert error_of(client.chat_update, channel="C1", ts=theirs, text="x")["error"] == (
        "cant_update_message"
    )
    assert error_of(client.chat_update, channel="C1", ts="1.000003", text="x")["error"] == (
        "message_not_found"
    )
    client.chat_delete(channel="C1", ts=ts)
    assert standin.message("C1", ts) is None


def test_reactions_and_deleted_thread_roots(client: WebClient, standin: SlackStandIn) -> None:
    root = client.chat_postMessage(channel="C1", text="root")["ts"]
    standin.add_message("C1", "U1", "reply", thread_ts=root)
    client.reactions_add(channel="C1", name=":bulb:", timestamp=root)
    assert standin.message("C1", root)["reactions"] == [  # type: ignore[index]
        {"name": "bulb", "users": ["UCOPBOT"], "count": 1}
    ]
    assert error_of(client.reactions_add, channel="C1", name="bulb", timestamp=root)["error"] == (
        "already_reacted"
    )
    client.chat_delete(channel="C1", ts=root)
    thread = client.conversations_replies(channel="C1", ts=root)["messages"]
    assert thread[0]["subtype"] == "tombstone" and thread[1]["text"] == "reply"


def test_a_forwarded_message_comes_back_from_history_as_slack_shapes_it(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.add_channel("C2", "random", members=["U1", "U2"])  # copbot is not in C2
    original = standin.add_message("C2", "U1", "Pin deps &amp; <https://x.io|lock>")["ts"]
    ts = standin.forward_message("C2", original, user="U2", to="C1")["ts"]
    [message] = client.conversations_history(channel="C1", latest=ts, inclusive=True, limit=1)[
        "messages"
    ]
    assert (message["user"], message["text"], "blocks" in message) == ("U2", "", False)
    [shared] = message["attachments"]
    assert shared["is_share"] and shared["is_msg_unfurl"]
    assert (shared["author_id"], shared["author_name"], shared["channel_id"]) == (
        "U1",
        "alice",
        "C2",
    )
    assert shared["text"] == "Pin deps &amp; <https://x.io|lock>"
    assert shared["from_url"] == f"https://test.slack.com/archives/C2/p{original.replace('.', '')}"
    assert shared["fallback"].endswith("] alice: Pin deps &amp; <https://x.io|lock>")
    [section] = shared["message_blocks"][0]["message"]["blocks"][0]["elements"]
    assert section["elements"] == [
        {"type": "text", "text": "Pin deps & "},
        {"type": "link", "url": "https://x.io", "text": "lock"},
    ]
    with_comment = standin.forward_message("C2", original, user="U2", to="C1", comment="see")
    assert with_comment["text"] == "see" and with_comment["blocks"][0]["type"] == "rich_text"


def test_people_edit_and_delete_as_slack_tells_it(standin: SlackStandIn) -> None:
    root = standin.add_message("C1", "U1", "root")["ts"]
    reply = standin.add_message("C1", "U2", "reply", thread_ts=root)["ts"]
    before, after = standin.edit_message("C1", reply, "better reply")
    assert (before["text"], after["text"], after["edited"]["user"]) == (
        "reply",
        "better reply",
        "U2",
    )
    previous, tomb = standin.remove_message("C1", root)
    assert previous["text"] == "root" and tomb is not None
    assert (tomb["subtype"], tomb["user"], tomb["text"]) == (
        "tombstone",
        "USLACKBOT",
        "This message was deleted.",
    )
    assert tomb["thread_ts"] == root and tomb["reply_count"] == 1
    previous, tomb = standin.remove_message("C1", reply)
    assert previous["text"] == "better reply" and tomb is None
    assert standin.message("C1", reply) is None


def test_channel_errors_match_slack(client: WebClient, standin: SlackStandIn) -> None:
    standin.add_channel("C2", "random")
    standin.add_channel("C3", "secret", is_private=True, members=["U1"])
    standin.add_channel("C4", "old", members=[standin.bot_user_id], is_archived=True)
    post = client.chat_postMessage
    assert error_of(post, channel="C404", text="x")["error"] == "channel_not_found"
    assert error_of(post, channel="C2", text="x")["error"] == "not_in_channel"
    assert error_of(post, channel="C3", text="x")["error"] == "channel_not_found"
    assert error_of(post, channel="C4", text="x")["error"] == "is_archived"
    assert error_of(client.conversations_info, channel="C3")["error"] == "channel_not_found"
    assert error_of(client.conversations_join, channel="C3")["error"] == (
        "method_not_supported_for_channel_type"
    )
    joined = client.conversations_join(channel="#random")["channel"]
    assert joined["id"] == "C2" and joined["is_member"]
    assert client.chat_postMessage(channel="C2", text="now I can")["ok"]


def test_post_to_a_user_opens_the_dm(client: WebClient, standin: SlackStandIn) -> None:
    posted = client.chat_postMessage(channel="U1", text="psst")
    info = client.conversations_info(channel=posted["channel"])["channel"]
    assert posted["channel"].startswith("D") and info["is_im"] and info["user"] == "U1"
    assert client.conversations_open(users="U1")["channel"]["id"] == posted["channel"]


def test_users_info(client: WebClient, standin: SlackStandIn) -> None:
    standin.add_user("U9", "dana", real_name="Dana Admin", is_admin=True, tz="Europe/Paris")
    user = client.users_info(user="U9")["user"]
    assert user["profile"]["real_name"] == "Dana Admin" and user["is_admin"]
    assert user["tz"] == "Europe/Paris" and user["tz_offset"] in (3600, 7200)
    assert error_of(client.users_info, user="U404")["error"] == "user_not_found"


# ----- refusals ---------------------------------------------------------------------------
def test_auth_errors(standin: SlackStandIn) -> None:
    anonymous = WebClient(base_url=standin.api_url)
    assert error_of(anonymous.auth_test)["error"] == "not_authed"
    stranger = WebClient(token="xoxb-nope", base_url=standin.api_url)
    assert error_of(stranger.auth_test)["error"] == "invalid_auth"
    standin.add_token("xoxp-user", user_id="U1")
    assert WebClient(token="xoxp-user", base_url=standin.api_url).auth_test()["user_id"] == "U1"


def test_unknown_method(client: WebClient) -> None:
    assert error_of(client.api_call, "files.frobnicate")["error"] == "unknown_method"


def test_required_arguments_come_from_the_spec(client: WebClient, standin: SlackStandIn) -> None:
    if not standin.spec_loaded:
        pytest.skip("shared/slack/slack_web_openapi_v2.json is absent: spec checks are off")
    error = error_of(client.api_call, "chat.postEphemeral", json={"channel": "C1", "text": "x"})
    assert error["error"] == "invalid_arguments"
    assert error["response_metadata"]["messages"] == ["[ERROR] missing required field: user"]


def test_without_a_spec_argument_checks_are_off() -> None:
    assert not SlackStandIn(spec_path=None).spec_loaded


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_message_needs_text_or_blocks(client: WebClient) -> None:
    assert error_of(client.chat_postMessage, channel="C1")["error"] == "no_text"
    assert error_of(client.chat_postMessage, channel="C1", text="x" * 40_001)["error"] == (
        "msg_too_long"
    )


def button(text: str, action_id: str = "go") -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section("x")] * 51, "/blocks"),
        ([section("x" * 3001)], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "/blocks/0"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}], "fields/0"),
        ([{"text": {"type": "mrkdwn", "text": "no type"}}], "/blocks/0"),
        ([{"type": "actions", "elements": [button("b" * 76)]}], "/elements/0/text/text"),
        ([{"type": "actions", "elements": [button("ok", "a" * 256)]}], "/elements/0/action_id"),
    ],
)
def test_block_kit_limits(client: WebClient, blocks: list[Any], pointer: str) -> None:
    error = error_of(client.chat_postMessage, channel="C1", text="t", blocks=blocks)
    assert error["error"] == "invalid_blocks"
    assert pointer in error["response_metadata"]["messages"][0]


def test_fifty_blocks_are_fine(client: WebClient) -> None:
    assert client.chat_postMessage(channel="C1", text="t", blocks=[section("x")] * 50)["ok"]


# ----- views ------------------------------------------------------------------------------
def modal(title: str = "Share", blocks: list[Any] | None = None) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": blocks or []}


def test_views_are_stored_and_checked(client: WebClient, standin: SlackStandIn) -> None:
    view = client.views_open(trigger_id="123.456.abc", view=modal())["view"]
    assert standin.views[view["id"]]["title"]["text"] == "Share" and view["hash"]
    assert standin.trigger_ids == ["123.456.abc"]
    updated = client.views_update(view_id=view["id"], hash=view["hash"], view=modal("Saved"))
    assert updated["view"]["id"] == view["id"] and updated["view"]["hash"] != view["hash"]
    stale = error_of(client.views_update, view_id=view["id"], hash=view["hash"], view=modal())
    assert stale["error"] == "hash_conflict"
    too_long = error_of(client.views_open, trigger_id="t", view=modal("t" * 25))
    assert "/view/title/text" in too_long["response_metadata"]["messages"][0]
    too_many = error_of(client.views_open, trigger_id="t", view=modal(blocks=[section("x")] * 101))
    assert "no more than 100 items" in too_many["response_metadata"]["messages"][0]
    assert client.views_push(trigger_id="t", view=modal(blocks=[section("x")] * 100))["ok"]


def test_views_publish_keeps_one_home_per_user(client: WebClient, standin: SlackStandIn) -> None:
    first = client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("a")]})
    again = client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("b")]})
    assert first["view"]["id"] == again["view"]["id"]
    assert standin.home_views["U1"]["blocks"] == [section("b")]


# ----- files --------------------------------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def test_text_upload_is_stored_and_shared_with_its_comment(
    client: WebClient, standin: SlackStandIn
) -> None:
    started = time.monotonic()
    answer = client.files_upload_v2(
        channel="C1",
        content="alice,3\nbob,5\n",
        filename="scores.csv",
        title="Scores",
        initial_comment="This week's *scores*",
    )
    assert time.monotonic() - started < 2
    file_id = answer["file"]["id"]
    assert answer["files"] == [answer["file"]] and answer["file"]["title"] == "Scores"
    stored = standin.files[file_id]
    assert stored["content"] == b"alice,3\nbob,5\n" and stored["name"] == "scores.csv"
    assert (stored["title"], stored["channel"], stored["user"]) == ("Scores", "C1", "UCOPBOT")
    assert stored["initial_comment"] == "This week's *scores*"
    assert standin.files_in("C1") == [stored]
    message = standin.last_message("C1")
    assert message is not None and message["text"] == "This week's *scores*"
    assert message["bot_id"] == "BCOPBOT" and message["user"] == "UCOPBOT"
    assert [f["id"] for f in message["files"]] == [file_id]
    assert message["files"][0]["size"] == 14 and message["files"][0]["mimetype"] == "text/csv"
    assert standin.calls_to("files.getUploadURLExternal")[0].args["length"] == "14"
    completion = standin.calls_to("files.completeUploadExternal")[0].args
    assert completion["files"] == [{"id": file_id, "title": "Scores"}]
    assert completion["channel_id"] == "C1"


def test_binary_upload_keeps_its_bytes_and_can_go_in_a_thread(
    client: WebClient, standin: SlackStandIn
) -> None:
    root = standin.add_message("C1", "U1", "a picture please", ts="1700000000.000100")
    answer = client.files_upload_v2(
        channel="C1", file=PNG, filename="dot.png", thread_ts=root["ts"]
    )
    stored = standin.files[answer["file"]["id"]]
    assert stored["content"] == PNG and stored["title"] == "dot.png"
    assert stored["initial_comment"] is None and answer["file"]["mimetype"] == "image/png"
    reply = standin.last_message("C1")
    assert reply is not None and reply["text"] == "" and reply["thread_ts"] == root["ts"]
    assert reply["files"][0]["name"] == "dot.png"
    assert standin.message("C1", root["ts"])["reply_count"] == 1  # type: ignore[index]


def test_upload_channel_errors_match_chat_post_message(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.add_channel("C2", "random")
    standin.add_channel("C4", "old", members=[standin.bot_user_id], is_archived=True)
    upload = client.files_upload_v2
    assert error_of(upload, channel="C404", content="x", filename="x.txt")["error"] == (
        "channel_not_found"
    )
    assert error_of(upload, channel="C2", content="x", filename="x.txt")["error"] == (
        "not_in_channel"
    )
    assert error_of(upload, channel="C4", content="x", filename="x.txt")["error"] == ("is_archived")
    assert standin.messages("C2") == standin.messages("C4") == standin.files_in("C2") == []
    assert all(f["channel"] is None and f["content"] == b"x" for f in standin.files.values())


def test_upload_methods_check_their_arguments(client: WebClient, standin: SlackStandIn) -> None:
    no_length = error_of(client.api_call, "files.getUploadURLExternal", params={"filename": "a"})
    assert no_length["error"] == "invalid_arguments"
    assert no_length["response_metadata"]["messages"] == ["[ERROR] missing required field: length"]
    no_files = error_of(
        client.api_call, "files.completeUploadExternal", params={"channel_id": "C1"}
    )
    assert no_files["response_metadata"]["messages"] == ["[ERROR] missing required field: files"]
    pending = client.files_getUploadURLExternal(filename="a.txt", length=3)
    never_sent = [{"id": pending["file_id"], "title": "a"}]
    assert error_of(client.files_completeUploadExternal, files=never_sent)["error"] == (
        "file_not_found"
    )
    unknown = [{"id": "F404", "title": "a"}]
    assert error_of(client.files_completeUploadExternal, files=unknown)["error"] == (
        "file_not_found"
    )


def test_upload_url_takes_raw_or_multipart_bytes(client: WebClient, standin: SlackStandIn) -> None:
    def post(url: str, body: bytes, content_type: str) -> tuple[int, str]:
        request = Request(url, data=body, method="POST", headers={"Content-Type": content_type})
        try:
            with urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except HTTPError as exc:
            return exc.code, exc.read().decode()

    raw = client.files_getUploadURLExternal(filename="raw.bin", length=len(PNG))
    assert post(raw["upload_url"], PNG, "application/octet-stream") == (200, f"OK - {len(PNG)}")
    assert raw["upload_url"] == f"{standin.base_url}/upload/{raw['file_id']}"
    form = client.files_getUploadURLExternal(filename="form.png", length=len(PNG))
    multipart = (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="form.png"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + PNG + b"\r\n--XyZ--\r\n"
    )
    assert post(form["upload_url"], multipart, "multipart/form-data; boundary=XyZ")[0] == 200
    assert standin.files[form["file_id"]]["content"] == PNG
    assert post(f"{standin.base_url}/upload/F404", b"x", "text/plain") == (404, "not found")
    done = client.files_completeUploadExternal(
        files=[{"id": form["file_id"], "title": "Form"}], channel_id="C1"
    )
    shared = standin.last_message("C1")
    assert done["files"][0]["title"] == "Form" and shared is not None and shared["text"] == ""
    assert post(form["upload_url"], b"late", "text/plain")[0] == 404


# ----- failure injection ------------------------------------------------------------------
def test_rate_limit_is_retried_after_retry_after(
    standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("slack_sdk.http_retry.builtin_handlers.time.sleep", slept.append)
    standin.fail("chat.postMessage", status=429, retry_after=7)
    patient = WebClient(
        token=standin.bot_token,
        base_url=standin.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    assert patient.chat_postMessage(channel="C1", text="eventually")["ok"]
    assert len(slept) == 1 and 7 <= slept[0] < 8
    assert [c.failed for c in standin.calls_to("chat.postMessage")] == ["ratelimited", None]
    assert standin.calls_to("chat.postMessage")[0].response == {"ok": False, "error": "ratelimited"}


def test_rate_limit_without_retry_shows_429(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail("conversations.history", status=429)
    with pytest.raises(SlackApiError) as raised:
        client.conversations_history(channel="C1")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "1"


def test_server_errors_are_consumed_one_per_call(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail("chat.postMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C1", text="x")
        assert raised.value.response.status_code == 500
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    failed = [call.failed for call in standin.calls_to("chat.postMessage")]
    assert failed == ["http_500", "http_500", None]


def test_injected_error_code(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail("conversations.info", error="channel_not_found")
    assert error_of(client.conversations_info, channel="C1")["error"] == "channel_not_found"
    assert client.conversations_info(channel="C1")["channel"]["name"] == "general"


class FakeClock:
    """A monotonic clock that moves only when told to (or when slack_sdk sleeps)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def post_outcomes(client: WebClient, channels: list[str]) -> list[str]:
    """Post once in each channel: "ok", or the Retry-After of the 429 that came back."""
    outcomes = []
    for channel in channels:
        try:
            client.chat_postMessage(channel=channel, text="x")
            outcomes.append("ok")
        except SlackApiError as exc:
            assert exc.response.status_code == 429
            assert exc.response.data == {"ok": False, "error": "ratelimited"}
            outcomes.append(f"retry after {exc.response.headers['Retry-After']}")
    return outcomes


def test_rate_limits_are_off_by_default(client: WebClient, standin: SlackStandIn) -> None:
    assert post_outcomes(client, ["C1"] * 20) == ["ok"] * 20


def test_one_message_per_second_per_channel(client: WebClient, standin: SlackStandIn) -> None:
    clock = FakeClock()
    standin.add_channel("C2", "random", members=[standin.bot_user_id])
    standin.limit_rate("chat.postMessage", per_channel_per_second=1.0, clock=clock)
    assert post_outcomes(client, ["C1", "C1", "C2"]) == ["ok", "retry after 1", "ok"]
    clock.sleep(0.5)
    assert post_outcomes(client, ["C1"]) == ["retry after 1"]  # 0.5 s left: rounded up
    clock.sleep(0.5)
    assert post_outcomes(client, ["C1", "C1"]) == ["ok", "retry after 1"]
    failed = [c.failed for c in standin.calls_to("chat.postMessage")]
    assert failed == [None, "ratelimited", None, "ratelimited", None, "ratelimited"]
    assert len(standin.messages("C1")) == 2 and client.auth_test()["ok"]  # other methods: free
    assert standin.rate_limited("chat.postMessage") == {"channel": 3}


def test_workspace_budget_with_burst(client: WebClient, standin: SlackStandIn) -> None:
    clock = FakeClock()
    for i in range(2, 6):
        standin.add_channel(f"C{i}", f"c{i}", members=[standin.bot_user_id])
    standin.limit_rate(workspace_per_second=0.25, burst=3, clock=clock)
    channels = ["C1", "C2", "C3", "C4"]
    assert post_outcomes(client, channels) == ["ok", "ok", "ok", "retry after 4"]
    clock.sleep(2.5)  # 0.625 of a token back: 1.5 s to go, answered as 2
    assert post_outcomes(client, ["C5"]) == ["retry after 2"]
    clock.sleep(1.5)
    assert post_outcomes(client, ["C5", "C1"]) == ["ok", "retry after 4"]
    assert standin.rate_limited() == {"workspace": 3}
    standin.limit_rate()  # neither rate: unlimited again
    assert post_outcomes(client, channels) == ["ok"] * 4


def test_both_limits_and_slack_sdk_retries(
    standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr("slack_sdk.http_retry.builtin_handlers.time.sleep", clock.sleep)
    standin.limit_rate(
        per_channel_per_second=1.0, workspace_per_second=10, burst=10, channel_burst=2, clock=clock
    )
    patient = WebClient(
        token=standin.bot_token,
        base_url=standin.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    started = clock.now
    for i in range(4):
        assert patient.chat_postMessage(channel="C1", text=f"m{i}")["ok"]
    # two at once (channel_burst=2), then each waits out Retry-After (1 s + jitter) once
    failed = [c.failed for c in standin.calls_to("chat.postMessage")]
    assert failed == [None, None, "ratelimited", None, "ratelimited", None]
    assert 2 <= clock.now - started < 4 and standin.rate_limited() == {"channel": 2}
    assert [m["text"] for m in standin.messages("C1")] == ["m0", "m1", "m2", "m3"]


# ----- response_url -----------------------------------------------------------------------
def test_response_urls_are_recorded(standin: SlackStandIn) -> None:
    url = standin.new_response_url(channel="C1", user="U1")
    quiet = WebhookClient(url).send(text="just you")
    loud = WebhookClient(url).send(text="everyone", response_type="in_channel")
    assert (quiet.status_code, quiet.body, loud.status_code) == (200, "ok", 200)
    assert [r["body"]["text"] for r in standin.responses] == ["just you", "everyone"]
    assert standin.responses[0]["url"] == url and standin.responses[0]["channel"] == "C1"
    assert [m["text"] for m in standin.messages("C1")] == ["everyone"]
    too_many = WebhookClient(url).send(text="t", blocks=[section("x")] * 51)
    assert (too_many.status_code, too_many.body) == (400, "invalid_blocks")
    unknown = WebhookClient(f"{standin.base_url}/response/nope").send(text="t")
    assert unknown.status_code == 404


# ----- plumbing -----------------------------------------------------------------------------
def test_wait_for_returns_value_or_explains_timeout(standin: SlackStandIn) -> None:
    assert standin.wait_for(lambda: 42) == 42
    with pytest.raises(AssertionError, match="last calls to the stand-in"):
        standin.wait_for(lambda: standin.calls_to("chat.postMessage"), timeout=0.05)


def test_start_stop_is_fast_and_leaks_no_threads() -> None:
    def ours() -> set[threading.Thread]:
        names = ("slack-standin", "process_request_thread")
        return {t for t in threading.enumerate() if any(n in t.name for n in names)}

    before = ours()
    started = time.monotonic()
    for _ in range(100):
        with SlackStandIn(spec_path=OPENAPI_SPEC) as slack:
            WebClient(base_url=slack.api_url).api_test()
    assert ours() == before
    assert time.monotonic() - started < 5


@given(st.lists(st.integers(), max_size=30), st.integers(min_value=1, max_value=12))
def test_pages_cover_every_item_once(items: list[int], limit: int) -> None:
    seen, cursor = [], ""
    while True:
        chunk, cursor = page(items, {"limit": limit, "cursor": cursor}, default_limit=100)
        seen += chunk
        if not cursor:
            break
    assert seen == items


# ----- signing and the sender ----------------------------------------------------------------
def test_signature_is_what_slack_sdk_verifies() -> None:
    body = "token=x&command=%2Fcop&text=help"
    headers = sign_request(body, SECRET)
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("other-secret").is_valid_request(body, headers)
    stale = sign_request(body, SECRET, timestamp=int(time.time()) - 600)
    assert not SignatureVerifier(SECRET).is_valid_request(body, stale)


def test_payload_builders_match_slack_shapes() -> None:
    first = json.loads(event_body({"type": "app_home_opened", "user": "U1"}))
    second = json.loads(event_body({"type": "app_home_opened", "user": "U1"}))
    assert first["type"] == "event_callback" and first["event_id"] != second["event_id"]
    assert first["authorizations"][0]["user_id"] == "UCOPBOT"
    submission = view_submission_payload(
        user_id="U1", callback_id="share", values={"title": {"title": state_value("Tips")}}
    )
    decoded = json.loads(parse_qs(interactive_body(submission))["payload"][0])
    assert decoded["view"]["state"]["values"]["title"]["title"]["value"] == "Tips"


class _Recorder(BaseHTTPRequestHandler):
    """A stand-in for the app: checks the signature and echoes what arrived."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        valid = SignatureVerifier(SECRET).is_valid_request(body, dict(self.headers.items()))
        answer = json.dumps({"body": body, "retry": self.headers.get("X-Slack-Retry-Num")})
        self.send_response(200 if valid else 401)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def sender(standin: SlackStandIn) -> Iterator[SlackSender]:
    app = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=app.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    yield SlackSender(f"http://127.0.0.1:{app.server_address[1]}/slack/events", SECRET, standin)
    app.shutdown()
    app.server_close()
    thread.join()


def test_sender_signs_commands_events_and_interactions(
    sender: SlackSender, standin: SlackStandIn
) -> None:
    sent = sender.command("share tips #python", user="U1", channel="C1")
    form = parse_qs(sent.json()["body"])
    assert sent.status == 200 and form["command"] == ["/cop"] and form["user_name"] == ["alice"]
    assert form["text"] == ["share tips #python"] and form["channel_name"] == ["general"]
    assert form["response_url"] == [sent.response_url]
    assert sent.response_url is not None and sent.response_url.startswith(standin.base_url)
    retried = sender.event({"type": "app_home_opened", "user": "U1"}, retry_num=1)
    assert retried.status == 200 and retried.json()["retry"] == "1"
    assert json.loads(retried.json()["body"])["event_id"] == retried.event_id
    assert sender.interactive({"type": "shortcut", "callback_id": "share"}).status == 200
    assert sender.command("help", user="U1", channel="C1", timestamp=1).status == 401
    assert sender.post_raw("x=1", {"X-Slack-Signature": "v0=bad"}).status == 401
