"""The HTTP side of the stand-in: reading Web API arguments, writing answers and failures."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from .checks import SlackError, decode_json_args


@dataclass(frozen=True)
class Failure:
    """A failure queued by SlackStandIn.fail()."""

    error: str | None
    status: int
    retry_after: int | None
    performed: bool = False  # the call takes effect; only its answer is the failure


@dataclass
class Answer:
    """An HTTP answer: status, body, content type and extra headers."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls, payload: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
    ) -> Answer:
        return cls(status, json.dumps(payload).encode(), headers=headers or {})

    @classmethod
    def text(cls, status: int, text: str) -> Answer:
        return cls(status, text.encode(), "text/plain; charset=utf-8")


def parse_args(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    """Query string, then the body (form, multipart or JSON); blocks/view/... JSON-decoded."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and raw:
        try:
            body = json.loads(raw)
        except ValueError:
            raise SlackError("invalid_json") from None
        if not isinstance(body, dict):
            raise SlackError("json_not_object")
        args.update(body)
    elif kind == "multipart/form-data":
        args.update(_multipart(raw, content_type))
    elif raw:
        args.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    decode_json_args(args)
    return args


def _multipart(raw: bytes, content_type: str) -> dict[str, Any]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts() if isinstance(message, Message) else ():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(data, bytes):
            continue
        try:
            fields[name] = data.decode("utf-8") if part.get_filename() is None else data
        except UnicodeDecodeError:
            fields[name] = data
    return fields


def uploaded_bytes(raw: bytes, content_type: str) -> bytes:
    """The file in a POST to an upload_url: the raw body (slack_sdk), or a multipart's file part
    (the Node SDK's `file`/`body` field) when sent as multipart/form-data."""
    if content_type.split(";")[0].strip().lower() != "multipart/form-data":
        return raw
    fields = _multipart(raw, content_type)
    parts = [value for value in fields.values() if isinstance(value, bytes)]
    if not parts and len(fields) == 1:
        parts = [str(value).encode() for value in fields.values()]
    return parts[0] if parts else raw


def bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def failure_answer(failure: Failure) -> tuple[Answer, str]:
    """The answer for an injected failure, and what Call.failed records for it."""
    if failure.status == 429:
        retry_after = str(1 if failure.retry_after is None else failure.retry_after)
        body = {"ok": False, "error": "ratelimited"}
        return Answer.of(body, 429, {"Retry-After": retry_after}), "ratelimited"
    if failure.status != 200:
        text = failure.error or "Internal Server Error"
        return Answer.text(failure.status, text), failure.error or f"http_{failure.status}"
    return Answer.of({"ok": False, "error": failure.error}), str(failure.error)
