"""/cop: parse the subcommand and hand over to it; anything unrecognised gets help."""

from __future__ import annotations

import difflib
from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.help import HelpEntry, render_help, render_unknown
from bot.blocks.kit import Message
from handlers.commands import (
    channels,
    community,
    digest,
    export,
    forget,
    knowledge,
    kudos,
    mute,
    prompts,
    questions,
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
    *channels.SUBCOMMANDS,
    *knowledge.SUBCOMMANDS,
    *kudos.SUBCOMMANDS,
    *prompts.SUBCOMMANDS,
    *questions.SUBCOMMANDS,
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


NEAREST = 3  # subcommands offered for one copbot doesn't know (and isn't a likely typo of)


def help_message() -> Message:
    entries = [HelpEntry(s.usage, s.summary, s.audience) for s in SUBCOMMANDS]
    return render_help(entries, audiences=AUDIENCES)


def unknown_message(unknown: str) -> Message:
    """One line for a subcommand copbot doesn't know: the likely one it is a typo of, else
    the few whose description has the word typed ("/cop thank" -> kudos, "/cop knowledge"
    -> share, search…), else only the pointer to /cop help: letters in common with an
    unrelated command are no suggestion."""
    typed = unknown.lower().split()[0] if unknown.split() else ""
    typo = difflib.get_close_matches(typed, list(_BY_NAME), n=1, cutoff=0.6)
    if typo:
        return render_unknown(unknown, closest=[_BY_NAME[typo[0]].name])
    stem = typed.rstrip("s")[:6]
    related = [
        s.name
        for s in SUBCOMMANDS
        if len(stem) >= 4 and s.name != "help" and stem in f"{s.usage} {s.summary}".lower()
    ]
    return render_unknown(unknown, closest=related[:NEAREST])


def help_clicked(ack: Ack, respond: Respond) -> None:
    """ "Show all commands" under an unknown command's reply: the help, in its place."""
    ack()
    respond(replace_original=True, response_type="ephemeral", **help_message().as_kwargs())


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
            inv.reply(unknown_message(inv.subcommand))
        else:
            run_help(inv)
        return
    subcommand.run(admit(subcommand, inv))
