"""The /cop slash command and its subcommands."""

from __future__ import annotations

from typing import Any

from bot.errors import guarded
from handlers.commands.router import cop_command

COMMAND = "/cop"


def register(app: Any) -> None:
    """Wire /cop."""
    app.command(COMMAND)(guarded(cop_command))
