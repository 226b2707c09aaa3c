"""Reading what a modal sent back, as Slack shapes it: nothing in it is trusted as it comes.

A view_submission's `view.state.values` is {block_id: {action_id: element state}}; a forged
or damaged payload may hold anything there (null, a list, a number), so each reader returns
"" or None rather than raising, and callers validate what they get.
"""

from __future__ import annotations

from typing import Any

from bot.errors import CopError
from storage.markup import unescape


def _state(view: Any, block: str, action: str) -> dict[str, Any]:
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    element = values.get(block) if isinstance(values, dict) else None
    found = element.get(action) if isinstance(element, dict) else None
    return found if isinstance(found, dict) else {}


def text_value(view: Any, block: str, action: str) -> str:
    """A plain_text_input's value (raw, as typed), or ""."""
    value = _state(view, block, action).get("value")
    return value if isinstance(value, str) else ""


def selected_value(view: Any, block: str, action: str) -> str:
    """The value of a select's chosen option, or ""."""
    option = _state(view, block, action).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    return value if isinstance(value, str) else ""


def selected_time(view: Any, block: str, action: str) -> str:
    """A timepicker's "HH:MM", or ""."""
    value = _state(view, block, action).get("selected_time")
    return value if isinstance(value, str) else ""


def checked(view: Any, block: str, action: str) -> bool:
    """Whether a checkboxes element has any option ticked."""
    options = _state(view, block, action).get("selected_options")
    return isinstance(options, list) and bool(options)


def metadata(view: Any) -> str:
    """The view's private_metadata, or ""."""
    value = view.get("private_metadata") if isinstance(view, dict) else None
    return value if isinstance(value, str) else ""


def field_error(error: CopError) -> str:
    """A refusal as a modal field error, which Slack shows as plain text: its form wording
    (no commands to type there), no formatting marks, no entities, at most 150 characters."""
    reason = error.in_form or error.reason
    return unescape(reason.replace("*", "").replace("`", ""))[:150]


def small_number(text: object, *, most: int = 10**12) -> int | None:
    """A non-negative whole number written in ASCII digits, no larger than `most`, or None."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() or len(text) > 13:
        return None
    number = int(text)
    return number if number <= most else None
