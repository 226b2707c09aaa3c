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
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

MAX_BODY_BYTES = 1_000_000  # Slack's own payloads are far smaller
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

log = logging.getLogger("copbot.http")


@dataclass(frozen=True)
class Refusal:
    """Why a request does not go through: an HTTP status and a short body."""

    status: str
    body: bytes = b""


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
        return not length.isdigit() or int(length) > MAX_BODY_BYTES

    def refusal(
        self, *, body: bytes, timestamp: str | None, signature: str | None, content_type: str
    ) -> Refusal | None:
        """None when the request is Slack's and readable; else why not (nothing is logged
        for unsigned requests: anyone can send them)."""
        if not self.signed(body, timestamp, signature):
            log.debug("refused an unsigned request (%d bytes)", len(body))
            return UNSIGNED
        if not well_formed(body, content_type):
            log.warning("refused a signed request whose body is not Slack's JSON or form")
            return MALFORMED
        return None

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


def well_formed(body: bytes, content_type: str) -> bool:
    """A body Bolt can read: a JSON object, or a form whose `payload` (if any) is one."""
    text = body.decode("utf-8")
    if content_type.split(";")[0].strip().lower() == "application/json":
        return _json_object(text)
    form = parse_qs(text, keep_blank_values=True)
    return "payload" not in form or _json_object(form["payload"][0])


def _json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False
