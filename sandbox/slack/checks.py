"""What the stand-in refuses the way Slack does: missing arguments, bad text, bad Block Kit."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT = 40_000
# Arguments Slack accepts as JSON-encoded strings in form bodies.
JSON_ARGS = ("blocks", "attachments", "view", "metadata", "files")


class SlackError(Exception):
    """An `ok: false` answer: Slack's error code plus response_metadata.messages."""

    def __init__(self, error: str, *messages: str) -> None:
        super().__init__(error, *messages)
        self.error = error
        self.messages = list(messages)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


@functools.lru_cache(maxsize=4)
def load_required(spec_path: Path) -> Mapping[str, frozenset[str]]:
    """Required parameters (token aside) per method name, from Slack's Web API OpenAPI spec."""
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    required: dict[str, frozenset[str]] = {}
    for path, operations in spec.get("paths", {}).items():
        names = {
            param["name"]
            for verb in ("get", "post")
            for param in operations.get(verb, {}).get("parameters", [])
            if param.get("required") and param.get("name") != "token"
        }
        required[path.lstrip("/")] = frozenset(names)
    return required


def missing_arguments(
    required: Mapping[str, frozenset[str]] | None, method: str, args: Mapping[str, Any]
) -> None:
    """Raise invalid_arguments when a parameter the spec marks required is absent or empty."""
    if required is None:
        return
    missing = sorted(name for name in required.get(method, ()) if args.get(name) in (None, ""))
    if missing:
        raise SlackError(
            "invalid_arguments", *(f"[ERROR] missing required field: {name}" for name in missing)
        )


def require(args: Mapping[str, Any], *names: str) -> None:
    """The same refusal for arguments a handler cannot do without, spec or no spec."""
    missing_arguments({"_": frozenset(names)}, "_", args)


def decode_json_args(args: dict[str, Any]) -> None:
    """Form bodies carry blocks, view, ... as JSON strings: turn them into lists and dicts."""
    for key in JSON_ARGS:
        value = args.get(key)
        if isinstance(value, str) and value.strip():
            try:
                args[key] = json.loads(value)
            except ValueError:
                logger.debug("argument %s is not JSON: %.80s", key, value)


def check_message(args: Mapping[str, Any], *, require_content: bool = True) -> None:
    """chat.postMessage / postEphemeral / update: text, length and blocks as Slack checks them."""
    text = args.get("text")
    if require_content and not (text or args.get("blocks") or args.get("attachments")):
        raise SlackError("no_text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise SlackError("msg_too_long", f"[ERROR] text is {len(text)} characters, max {MAX_TEXT}")
    if "blocks" in args and args["blocks"] not in (None, ""):
        check_blocks(args["blocks"], limit=MAX_MESSAGE_BLOCKS)


def check_blocks(blocks: Any, *, limit: int, error: str = "invalid_blocks", at: str = "") -> None:
    """Raise `error` with json-pointer messages when blocks break Block Kit's limits."""
    if isinstance(blocks, str):
        raise SlackError("invalid_blocks_format", "[ERROR] blocks must be a JSON array")
    problems = block_problems(blocks, limit=limit, at=f"{at}/blocks")
    if problems:
        raise SlackError(error, *problems)


def check_view(view: Any, *, home_only: bool = False) -> None:
    """views.*: type, title and blocks; Slack answers invalid_arguments for a bad view."""
    if not isinstance(view, dict):
        raise SlackError("invalid_arguments", "[ERROR] view must be a JSON object")
    kind = view.get("type")
    allowed = ("home",) if home_only else ("modal", "home")
    if kind not in allowed:
        raise SlackError(
            "invalid_arguments", f"[ERROR] view type must be one of {allowed} [json-pointer:/view]"
        )
    problems: list[str] = []
    if kind == "modal":
        if not isinstance(view.get("title"), dict):
            problems.append("[ERROR] missing required field: title [json-pointer:/view]")
        for key in ("title", "submit", "close"):
            _max_text(problems, view.get(key), 24, f"/view/{key}")
    _max_len(problems, view.get("private_metadata"), 3000, "/view/private_metadata")
    _max_len(problems, view.get("callback_id"), 255, "/view/callback_id")
    problems += block_problems(view.get("blocks", []), limit=MAX_VIEW_BLOCKS, at="/view/blocks")
    if problems:
        raise SlackError("invalid_arguments", *problems)


def block_problems(blocks: Any, *, limit: int, at: str = "/blocks") -> list[str]:
    """Everything wrong with a blocks array, as Slack's `[ERROR] ... [json-pointer:...]` lines."""
    if not isinstance(blocks, list):
        return [f"[ERROR] blocks must be an array [json-pointer:{at}]"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"[ERROR] no more than {limit} items allowed [json-pointer:{at}]")
    for index, block in enumerate(blocks):
        _check_block(problems, block, f"{at}/{index}")
    return problems


def _check_block(problems: list[str], block: Any, at: str) -> None:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        problems.append(f"[ERROR] missing required field: type [json-pointer:{at}]")
        return
    kind = block["type"]
    _max_len(problems, block.get("block_id"), 255, f"{at}/block_id")
    if kind == "section":
        if not block.get("text") and not block.get("fields"):
            problems.append(f"[ERROR] must provide either text or fields [json-pointer:{at}]")
        _max_text(problems, block.get("text"), 3000, f"{at}/text")
        fields = block.get("fields") or []
        if len(fields) > 10:
            problems.append(f"[ERROR] no more than 10 items allowed [json-pointer:{at}/fields]")
        for index, field in enumerate(fields):
            _max_text(problems, field, 2000, f"{at}/fields/{index}")
        if "accessory" in block:
            _check_element(problems, block["accessory"], f"{at}/accessory")
    elif kind == "header":
        if not isinstance(block.get("text"), dict):
            problems.append(f"[ERROR] missing required field: text [json-pointer:{at}]")
        _max_text(problems, block.get("text"), 150, f"{at}/text")
    elif kind in ("actions", "context"):
        elements = block.get("elements")
        most = 25 if kind == "actions" else 10
        if not isinstance(elements, list) or not elements:
            problems.append(f"[ERROR] missing required field: elements [json-pointer:{at}]")
        elif len(elements) > most:
            problems.append(
                f"[ERROR] no more than {most} items allowed [json-pointer:{at}/elements]"
            )
        for index, element in enumerate(elements if isinstance(elements, list) else []):
            _check_element(problems, element, f"{at}/elements/{index}")
    elif kind == "input":
        if not isinstance(block.get("label"), dict):
            problems.append(f"[ERROR] missing required field: label [json-pointer:{at}]")
        if not isinstance(block.get("element"), dict):
            problems.append(f"[ERROR] missing required field: element [json-pointer:{at}]")
        else:
            _check_element(problems, block["element"], f"{at}/element")


def _check_element(problems: list[str], element: Any, at: str) -> None:
    if not isinstance(element, dict) or not isinstance(element.get("type"), str):
        problems.append(f"[ERROR] missing required field: type [json-pointer:{at}]")
        return
    _max_len(problems, element.get("action_id"), 255, f"{at}/action_id")
    if element["type"] == "button":
        if not isinstance(element.get("text"), dict):
            problems.append(f"[ERROR] missing required field: text [json-pointer:{at}]")
        _max_text(problems, element.get("text"), 75, f"{at}/text")
        _max_len(problems, element.get("value"), 2000, f"{at}/value")
        _max_len(problems, element.get("url"), 3000, f"{at}/url")


def _max_text(problems: list[str], obj: Any, most: int, at: str) -> None:
    """A text object's `text` must be at most `most` characters."""
    if isinstance(obj, dict):
        _max_len(problems, obj.get("text"), most, f"{at}/text")


def _max_len(problems: list[str], value: Any, most: int, at: str) -> None:
    if isinstance(value, str) and len(value) > most:
        problems.append(f"[ERROR] must be less than {most + 1} characters [json-pointer:{at}]")
