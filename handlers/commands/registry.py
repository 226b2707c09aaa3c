"""The subcommand table: one entry per /cop subcommand, for the router, for help and for access.

A subcommand's audience is declared once: help lists it under that heading, and the router
(handlers/commands/access.py) lets only that audience run it.
"""

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
    """A /cop subcommand: how it is typed, what it does, for whom, and the code that runs it.

    Members' and facilitators' subcommands run in their community's channel and find it on
    `inv.home`; `in_community` asks the same of a subcommand everyone may run (info, join).
    `action` finishes "Only facilitators of X can …" for people who are not one.
    """

    name: str
    usage: str
    summary: str
    audience: str
    run: Callable[[Invocation], None]
    aliases: tuple[str, ...] = ()
    action: str = ""
    in_community: bool = False

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"/cop {self.name}: audience must be one of {AUDIENCES}")
        if self.audience == FACILITATORS and not self.action:
            raise ValueError(f"/cop {self.name}: say what only facilitators may do (action=)")

    @property
    def needs_community(self) -> bool:
        return self.in_community or self.audience != EVERYONE
