"""The /cop help message, grouped by who may use each subcommand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from bot.blocks.kit import Message, context, divider, header, section
from bot.mrkdwn import escape
from storage.markup import visible


class HelpEntry(NamedTuple):
    usage: str
    summary: str
    audience: str


def render_help(
    entries: Sequence[HelpEntry],
    *,
    audiences: Sequence[str],
    unknown: str | None = None,
    suggestion: str | None = None,
) -> Message:
    """Usage of every subcommand, grouped by audience, optionally after an "unknown command" line.

    Args:
        entries: the subcommands to list.
        audiences: the group headings, in order.
        unknown: what the user typed that matched no subcommand.
        suggestion: the closest subcommand name, for "did you mean".
    """
    blocks = []
    lead = ""
    if unknown is not None:
        lead = f"I don't know `/cop {escape(visible(unknown)[:50])}`."
        if suggestion:
            lead += f" Did you mean `/cop {suggestion}`?"
        blocks.append(section(f":thinking_face: {lead}"))
    blocks.append(header("copbot: your community of practice in Slack"))
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
    fallback = (
        (lead + " " if lead else "")
        + "copbot help: "
        + ", ".join(f"/cop {e.usage}" for e in entries)
    )
    return Message(text=fallback, blocks=blocks)
