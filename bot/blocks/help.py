"""The /cop help message, grouped by who may use each subcommand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from bot.blocks.kit import Message, actions, button, context, divider, header, section
from bot.mrkdwn import escape
from storage.markup import visible

HELP_SHOW = "help_show"  # the "Show all commands" button under an unknown command's reply


class HelpEntry(NamedTuple):
    usage: str
    summary: str
    audience: str


def render_unknown(unknown: str, *, closest: Sequence[str]) -> Message:
    """The answer to a subcommand copbot doesn't know: one line, not the whole help.

    Args:
        unknown: what the user typed that matched no subcommand (markup).
        closest: subcommand names, best first: one is a "did you mean" (a likely typo), more
            are related ones, none leaves only the pointer to the help.
    """
    typed = escape(" ".join(visible(unknown).split())[:50])
    if len(closest) == 1:
        line = f"I don't know `/cop {typed}`. Did you mean `/cop {closest[0]}`?"
    elif closest:
        nearest = ", ".join(f"`/cop {name}`" for name in closest)
        line = f"I don't know `/cop {typed}`. Related commands: {nearest}."
        line += " `/cop help` lists them all."
    else:
        line = f"I don't know `/cop {typed}`. `/cop help` lists what copbot can do."
    blocks = [
        section(f":thinking_face: {line}"),
        actions(button("Show all commands", HELP_SHOW, value="help")),
    ]
    return Message(text=line, blocks=blocks)


def render_help(entries: Sequence[HelpEntry], *, audiences: Sequence[str]) -> Message:
    """Usage of every subcommand, grouped by audience.

    Args:
        entries: the subcommands to list.
        audiences: the group headings, in order.
    """
    blocks = [header("copbot: your community of practice in Slack")]
    for audience in audiences:
        lines = [
            f"`/cop {escape(e.usage)}`  {escape(e.summary)}"
            for e in entries
            if e.audience == audience
        ]
        if lines:
            blocks.append(section(f"*{audience}*\n" + "\n".join(lines)))
    blocks.append(divider())
    blocks.append(
        context(
            "React with :bulb: or :books: to save a message as community knowledge. "
            "Facilitators are a community's creator, anyone they add, and workspace admins."
        )
    )
    fallback = "copbot help: " + ", ".join(f"/cop {e.usage}" for e in entries)
    return Message(text=fallback, blocks=blocks)
