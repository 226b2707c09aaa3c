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


def render_stats(
    *, community_name: str, weeks: Sequence[WeekStats], slipping: Sequence[str]
) -> Message:
    """The weekly table and who is slipping away (by name)."""
    header = "".join(f"{c:>9}" for c in COLUMNS)
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
        lines.append("".join(f"{v:>9}" for v in values))
    table = "```\n" + "\n".join(lines) + "\n```"
    blocks = [
        section(f":bar_chart: *{to_mrkdwn(community_name)}*, last {len(weeks)} weeks"),
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
