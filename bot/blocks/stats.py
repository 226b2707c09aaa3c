"""`/cop stats`: participation as a table (the chart is uploaded beside it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.blocks.kit import Message, context, section
from bot.mrkdwn import escape
from storage.markup import to_mrkdwn

if TYPE_CHECKING:
    from storage.stats import WeekStats

COLUMNS = ("week", "active", "snippets", "endorse", "kudos", "replies", "first")


def _span(weeks: int, from_start: bool) -> str:
    if from_start:
        return "its first week" if weeks == 1 else f"its first {weeks} weeks"
    return "this week" if weeks == 1 else f"last {weeks} weeks"


def render_stats(
    *,
    community_name: str,
    weeks: Sequence[WeekStats],
    slipping: Sequence[str],
    from_start: bool = False,
) -> Message:
    """The weekly table and who is slipping away (by name); `from_start` when the weeks are
    all the community has had (it is younger than the weeks asked for)."""

    def row(cells: Sequence[object]) -> str:  # the week to the left, numbers to the right
        return f"{cells[0]!s:<8}" + "".join(f"{c!s:>10}" for c in cells[1:])

    header = row(COLUMNS)
    lines = [header]
    for w in weeks:
        values = (
            w.label,
            w.active,
            w.snippets,
            w.endorsements,
            w.kudos,
            w.prompt_replies,
            w.first_time,
        )
        lines.append(row(values))
    table = "```\n" + "\n".join(lines) + "\n```"
    blocks = [
        section(f":bar_chart: *{to_mrkdwn(community_name)}*, {_span(len(weeks), from_start)}"),
        section(table),
    ]
    if slipping:
        names = ", ".join(escape(n) for n in slipping[:20])
        more = f" and {len(slipping) - 20} more" if len(slipping) > 20 else ""
        blocks.append(
            section(f":hourglass: *Slipping away* (active before, silent 4+ weeks): {names}{more}")
        )
    blocks.append(
        context(
            "active = wrote, shared, endorsed or thanked; replies = answers to prompts; "
            "first = first-time contributors. The chart comes in a direct message."
        )
    )
    return Message(text=f"Participation in {to_mrkdwn(community_name)}", blocks=blocks)
