"""Slack listeners, one package per kind of trigger; `register_handlers` wires them all."""

from __future__ import annotations

from typing import Any

from handlers import commands, events, shortcuts, views


def register_handlers(app: Any) -> None:
    """Register every listener on `app` (a Bolt App, or anything with the same decorators)."""
    commands.register(app)
    events.register(app)
    shortcuts.register(app)
    views.register(app)
