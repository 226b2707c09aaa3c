"""/cop: parse the subcommand and hand over to it; anything unrecognised gets help."""

from __future__ import annotations

import difflib
from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.help import HelpEntry, render_help
from handlers.commands import (
    community,
    digest,
    export,
    forget,
    knowledge,
    kudos,
    mute,
    prompts,
    roles,
    schedule,
    settings,
    stats,
)
from handlers.commands.access import admit
from handlers.commands.invocation import Invocation
from handlers.commands.registry import AUDIENCES, EVERYONE, Subcommand


def run_help(inv: Invocation) -> None:
    """Ephemeral usage, grouped by role."""
    inv.reply(help_message())


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", "help", "show this help", EVERYONE, run_help),
    *community.SUBCOMMANDS,
    *knowledge.SUBCOMMANDS,
    *kudos.SUBCOMMANDS,
    *prompts.SUBCOMMANDS,
    *schedule.SUBCOMMANDS,
    *digest.SUBCOMMANDS,
    *stats.SUBCOMMANDS,
    *export.SUBCOMMANDS,
    *settings.SUBCOMMANDS,
    *roles.SUBCOMMANDS,
    *mute.SUBCOMMANDS,
    *forget.SUBCOMMANDS,
)
_BY_NAME = {name: s for s in SUBCOMMANDS for name in (s.name, *s.aliases)}


def help_message(*, unknown: str | None = None) -> Any:
    suggestion = None
    if unknown:
        close = difflib.get_close_matches(unknown.lower(), list(_BY_NAME), n=1, cutoff=0.6)
        suggestion = _BY_NAME[close[0]].name if close else None
    entries = [HelpEntry(s.usage, s.summary, s.audience) for s in SUBCOMMANDS]
    return render_help(entries, audiences=AUDIENCES, unknown=unknown, suggestion=suggestion)


def cop_command(
    ack: Ack,
    command: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
    """/cop …: route to the subcommand named by the first word."""
    ack()
    inv = Invocation.from_command(
        command, context=context, client=client, respond=respond, logger=logger
    )
    subcommand = _BY_NAME.get(inv.subcommand)
    if subcommand is None:
        if inv.subcommand:
            inv.reply(help_message(unknown=inv.subcommand))
        else:
            run_help(inv)
        return
    subcommand.run(admit(subcommand, inv))
