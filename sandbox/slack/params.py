"""Reading Web API arguments the lenient way Slack does, and cursor pagination."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from .checks import SlackError
from .shapes import Actor, ts_key
from .state import Workspace

Handler = Callable[[Workspace, Actor, dict[str, Any]], dict[str, Any]]
T = TypeVar("T")


def as_bool(value: Any) -> bool:
    """Slack reads true/1 as true; slack_sdk sends Python booleans as "1"/"0"."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def as_int(value: Any, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def ts_bound(args: Mapping[str, Any], name: str, default: int) -> int:
    """`latest` / `oldest` as microseconds; `invalid_ts_<name>` when unreadable."""
    value = args.get(name)
    if value in (None, ""):
        return default
    try:
        return ts_key(str(value))
    except ValueError:
        raise SlackError(f"invalid_ts_{name}") from None


def in_window(args: Mapping[str, Any], ts: str) -> bool:
    """Whether ts lies between `oldest` and `latest` (ends included only when inclusive)."""
    key = ts_key(ts)
    oldest = ts_bound(args, "oldest", 0)
    latest = ts_bound(args, "latest", 1 << 62)
    if as_bool(args.get("inclusive")):
        return oldest <= key <= latest
    return oldest < key < latest


def page(
    items: Sequence[T], args: Mapping[str, Any], *, default_limit: int, most: int = 1000
) -> tuple[list[T], str]:
    """One page of `items` after `cursor`, and the next cursor ("" on the last page)."""
    limit = min(as_int(args.get("limit"), default_limit), most)
    start = decode_cursor(args.get("cursor"))
    end = start + limit
    return list(items[start:end]), encode_cursor(end) if end < len(items) else ""


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"next_offset:{offset}".encode()).decode()


def decode_cursor(cursor: Any) -> int:
    if not cursor:
        return 0
    try:
        label, _, offset = base64.b64decode(str(cursor), validate=True).decode().partition(":")
        if label == "next_offset" and offset.isdigit():
            return int(offset)
    except (binascii.Error, UnicodeDecodeError):
        pass
    raise SlackError("invalid_cursor")
