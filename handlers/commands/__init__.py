"""The /cop slash command and its subcommands."""

from __future__ import annotations

from typing import Any

from bot.blocks.help import HELP_SHOW
from bot.errors import guarded
from handlers.commands.router import cop_command, help_clicked

COMMAND = "/cop"


def register(app: Any) -> None:
    """Wire /cop, and the button that shows its help."""
    app.command(COMMAND)(guarded(cop_command))
    app.action(HELP_SHOW)(guarded(help_clicked))
