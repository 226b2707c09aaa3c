"""Global middleware: the one Settings object for every listener (the inbox is bot/inbox.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from bot.config import Settings


def settings_middleware(settings: Settings) -> Callable[..., Any]:
    """Put the one Settings object in every listener's `context["settings"]`."""

    def attach_settings(context: BoltContext, next: Callable[[], None]) -> None:
        context["settings"] = settings
        next()

    return attach_settings
