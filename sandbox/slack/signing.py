"""Signed requests to the app, as Slack sends them: slash commands, events, interactivity."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .payloads import (
    event_callback,
    interactive_body,
    new_event_id,
    new_trigger_id,
    slash_command_fields,
)

if TYPE_CHECKING:
    from .standin import SlackStandIn

__all__ = ["SentRequest", "SlackSender", "command_fields", "event_fields", "sign_request"]

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def sign_request(
    body: str, signing_secret: str, timestamp: int | None = None, *, content_type: str | None = None
) -> dict[str, str]:
    """Slack's signature headers: v0= hex HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        signing_secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256
    ).hexdigest()
    headers = {"X-Slack-Request-Timestamp": str(stamp), "X-Slack-Signature": f"v0={digest}"}
    if content_type:
        headers["Content-Type"] = content_type
    return headers


@dataclass
class SentRequest:
    """What the app answered to one signed request."""

    status: int
    body: str
    headers: dict[str, str]
    response_url: str | None = None
    trigger_id: str | None = None
    event_id: str | None = None

    def json(self) -> Any:
        """The answer parsed as JSON; None for an empty body (a bare ack)."""
        return json.loads(self.body) if self.body.strip() else None


class SlackSender:
    """Plays Slack towards the app at `app_url` (e.g. http://127.0.0.1:PORT/slack/events)."""

    def __init__(
        self, app_url: str, signing_secret: str, standin: SlackStandIn, *, timeout: float = 10.0
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.standin = standin
        self.timeout = timeout

    def command(
        self,
        text: str = "",
        *,
        user: str,
        channel: str,
        command: str = "/cop",
        channel_name: str | None = None,
        user_name: str | None = None,
        trigger_id: str | None = None,
        timestamp: int | None = None,
    ) -> SentRequest:
        """`/cop <text>` typed by `user` in `channel`; its response_url lives on the stand-in."""
        fields = command_fields(
            self.standin,
            text,
            user=user,
            channel=channel,
            command=command,
            channel_name=channel_name,
            user_name=user_name,
            trigger_id=trigger_id,
        )
        sent = self._signed(urlencode(fields), FORM, timestamp)
        sent.response_url, sent.trigger_id = fields["response_url"], fields["trigger_id"]
        return sent

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        event_time: int | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        timestamp: int | None = None,
    ) -> SentRequest:
        """An Events API delivery; retry_num makes it one of Slack's retries of `event_id`."""
        body = event_fields(self.standin, event, event_id=event_id, event_time=event_time)
        extra = {}
        if retry_num is not None:
            extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        sent = self._signed(json.dumps(body), JSON, timestamp, extra)
        sent.event_id = body["event_id"]
        return sent

    def interactive(self, payload: dict[str, Any], *, timestamp: int | None = None) -> SentRequest:
        """A block_actions / view_submission / shortcut / message_action payload."""
        sent = self._signed(interactive_body(payload), FORM, timestamp)
        sent.trigger_id = payload.get("trigger_id")
        return sent

    def post_raw(self, body: str | bytes, headers: dict[str, str]) -> SentRequest:
        """POST exactly this body and these headers (bad signatures, stale timestamps, ...)."""
        data = body.encode() if isinstance(body, str) else body
        request = urllib.request.Request(self.app_url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, answer_headers = error.code, error.read(), error.headers
        return SentRequest(status, raw.decode("utf-8", "replace"), dict(answer_headers.items()))

    def _signed(
        self,
        body: str,
        content_type: str,
        timestamp: int | None,
        extra: dict[str, str] | None = None,
    ) -> SentRequest:
        headers = sign_request(body, self.signing_secret, timestamp, content_type=content_type)
        return self.post_raw(body, {**headers, **(extra or {})})


def command_fields(
    standin: SlackStandIn,
    text: str,
    *,
    user: str,
    channel: str,
    command: str = "/cop",
    channel_name: str | None = None,
    user_name: str | None = None,
    trigger_id: str | None = None,
) -> dict[str, str]:
    """The fields of `command text` typed by `user` in `channel` of the stand-in's workspace,
    with a new response_url on the stand-in (over HTTP or in a Socket Mode envelope)."""
    return slash_command_fields(
        command,
        text,
        user_id=user,
        channel_id=channel,
        team_id=standin.team_id,
        channel_name=channel_name or _channel_name(standin, channel),
        user_name=user_name or _user_name(standin, user),
        response_url=standin.new_response_url(channel, user=user),
        trigger_id=trigger_id or new_trigger_id(),
        api_app_id=standin.app_id,
    )


def event_fields(
    standin: SlackStandIn,
    event: dict[str, Any],
    *,
    event_id: str | None = None,
    event_time: int | None = None,
) -> dict[str, Any]:
    """The event_callback around `event`, for the stand-in's workspace, app and bot."""
    return event_callback(
        event,
        team_id=standin.team_id,
        event_id=event_id or new_event_id(),
        event_time=event_time,
        api_app_id=standin.app_id,
        bot_user_id=standin.bot_user_id,
    )


def _channel_name(standin: SlackStandIn, channel: str) -> str:
    with standin.lock:
        known = standin.channels.get(channel)
        if known is None:
            return "privategroup" if channel.startswith("G") else "unknown"
        return "directmessage" if known.is_im else known.name


def _user_name(standin: SlackStandIn, user: str) -> str:
    found = standin.user(user)
    return str(found["name"]) if found else user.lower()
