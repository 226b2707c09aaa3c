"""The subcommand table: one entry per /cop subcommand, used by the router and by help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.commands.invocation import Invocation

EVERYONE = "Everyone"
MEMBERS = "Members"
FACILITATORS = "Facilitators"
AUDIENCES = (EVERYONE, MEMBERS, FACILITATORS)


@dataclass(frozen=True)
class Subcommand:
    """A /cop subcommand: how it is typed, what it does, for whom, and the code that runs it."""

    name: str
    usage: str
    summary: str
    audience: str
    run: Callable[[Invocation], None]
    aliases: tuple[str, ...] = ()
