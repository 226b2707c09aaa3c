"""The gate in front of Bolt: only signed, well-formed, bounded requests get through.

Slack signs every request it sends (`X-Slack-Signature`, `X-Slack-Request-Timestamp`). A
request whose signature cannot be verified, for any reason, is answered 401 here, before any
of copbot's code (or Bolt's) sees it: no listener, no error reply to a URL the sender chose, no
Web API call, no database write, no log line above DEBUG. slack_sdk's verifier raises, rather
than answering False, for a timestamp that is not an integer, a signature that is not ASCII
or a body that is not UTF-8; Bolt then hands the unverified body to the app's error handler
(slack_bolt/app/app.py dispatch). Checking here first, without raising, closes that door.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

MAX_BODY_BYTES = 1_000_000  # Slack's own payloads are far smaller
MAX_KEY_LENGTH = 56  # an event_id or trigger_id longer than Slack's: 64 with "trigger "
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_LENGTH = re.compile(r"[0-9]{1,12}")  # str.isdigit() also takes "²", which int() refuses
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

log = logging.getLogger("copbot.http")


@dataclass(frozen=True)
class Refusal:
    """Why a request does not go through: an HTTP status and a short body."""

    status: str
    body: bytes = b""


@dataclass(frozen=True)
class Admitted:
    """A signed, readable request: its payload parsed, and its body as text."""

    body: dict[str, Any]
    text: str


TOO_LARGE = Refusal("413 Payload Too Large")
UNSIGNED = Refusal("401 Unauthorized")
MALFORMED = Refusal("400 Bad Request")


class Gate:
    """Checks one request's size, signature and shape; `refusal` says what is wrong, if any.

    Args:
        signing_secret: the app's signing secret (SLACK_SIGNING_SECRET).
    """

    def __init__(self, signing_secret: str) -> None:
        self.verifier = SignatureVerifier(signing_secret)

    def too_large(self, content_length: str | None) -> bool:
        """Whether a body announced this long is refused before it is read."""
        length = (content_length or "0").strip() or "0"
        return not _LENGTH.fullmatch(length) or int(length) > MAX_BODY_BYTES

    def admit(
        self, *, body: bytes, timestamp: str | None, signature: str | None, content_type: str
    ) -> Admitted | Refusal:
        """The request as copbot reads it when it is Slack's and readable; else why not
        (nothing is logged for unsigned requests: anyone can send them)."""
        if not self.signed(body, timestamp, signature):
            log.debug("refused an unsigned request (%d bytes)", len(body))
            return UNSIGNED
        text = body.decode("utf-8")  # signed() has decoded it once already
        parsed = readable(text, content_type)
        if parsed is None:
            log.warning("refused a signed request whose body is not Slack's JSON or form")
            return MALFORMED
        return Admitted(parsed, text)

    def signed(self, body: bytes, timestamp: str | None, signature: str | None) -> bool:
        if not (timestamp and signature):
            return False
        if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            return False
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return self.verifier.is_valid(text, timestamp, signature)


def readable(text: str, content_type: str) -> dict[str, Any] | None:
    """What Slack sent (`slack_body`) when copbot can read it: an object whose strings are
    all Unicode, shaped as Slack shapes it; None otherwise."""
    try:
        parsed = slack_body(text, content_type)
        # a lone surrogate ("\\ud800") parses, then fails in the database or the Web API client
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):  # deep nesting raises RecursionError, not ValueError
        return None
    return parsed if isinstance(parsed, dict) and shaped_like_slack(parsed) else None


# The parts of each payload that Slack always sends and Bolt reads without looking first.
_OBJECTS = {
    "event_callback": ("event",),
    "block_actions": ("user",),
    "view_submission": ("view", "user"),
    "view_closed": ("view", "user"),
    "shortcut": ("user",),
    "message_action": ("user", "message", "channel"),
}


def shaped_like_slack(body: dict[str, Any]) -> bool:
    """Whether the parts Bolt and copbot index without checking have the shapes Slack gives
    them (a signed `"actions": []` or `"event": null` would fail deep inside Bolt)."""
    if any(not isinstance(body.get(key), dict) for key in _OBJECTS.get(str(body.get("type")), ())):
        return False
    if body.get("command") is not None:  # a slash command: Slack gives each a trigger_id
        return _key(body.get("trigger_id"))
    if body.get("type") == "block_actions":
        actions = body.get("actions")
        return isinstance(actions, list) and bool(actions) and isinstance(actions[0], dict)
    if body.get("type") == "event_callback":
        event = body["event"]
        if not _key(body.get("event_id")):  # the inbox's key: Slack's are short
            return False
        item, user = event.get("item"), event.get("user")
        return (
            isinstance(event.get("type"), str)
            and (item is None or isinstance(item, dict))
            and (user is None or isinstance(user, str | dict))  # user_change: a profile
        )
    if body.get("type") in ("view_submission", "view_closed"):
        return isinstance(body["view"].get("type"), str)
    return True


def _key(value: Any) -> bool:
    """Whether `value` can be a request's key in the inbox (an event_id, a trigger_id)."""
    return isinstance(value, str) and 0 < len(value) <= MAX_KEY_LENGTH


def slack_body(text: str, content_type: str | None) -> Any:
    """What Slack sent: JSON (the Events API), or a form whose `payload` field (interactivity)
    holds JSON, or a plain form (slash commands). Bolt's own parse_body returns {} for a form
    that merely contains the word "payload" (`/cop share validate the payload`), so copbot
    hands Bolt this reading instead (bot/http.py).

    Raises:
        ValueError, RecursionError: the JSON is broken or nested too deep.
    """
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == "application/json" or text.startswith("{"):  # Bolt reads these as JSON too
        return json.loads(text)
    form = dict(parse_qsl(text, keep_blank_values=True))  # the last of repeated fields, as Bolt
    return json.loads(form["payload"]) if "payload" in form else form
