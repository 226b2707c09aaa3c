"""`/cop stats`: participation as a table (the chart is uploaded beside it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.blocks.kit import Block, Message, context, section
from bot.mrkdwn import escape
from storage.markup import to_mrkdwn

if TYPE_CHECKING:
    from storage.stats import WeekStats

COLUMNS = ("week", "active", "snippets", "endorse", "kudos", "replies", "first")


def _span(weeks: int, from_start: bool) -> str:
    if from_start:
        return "its first week" if weeks == 1 else f"its first {weeks} weeks"
    return "this week" if weeks == 1 else f"last {weeks} weeks"


@dataclass(frozen=True)
class QuestionRow:
    """A week of questions as /cop stats shows it."""

    label: str
    asked: int
    answered: int
    median: timedelta | None  # wait for a first reply
    p90: timedelta | None


def _row(cells: Sequence[object]) -> str:
    """A table line: the week to the left, numbers to the right."""
    return f"{cells[0]!s:<8}" + "".join(f"{c!s:>10}" for c in cells[1:])


def _short(span: timedelta | None) -> str:
    """ "-", "45m", "2h10m", "3d": a wait that fits a table cell."""
    if span is None:
        return "-"
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours}h{rest:02d}m" if rest else f"{hours}h"
    return f"{minutes // (60 * 24)}d"


def _question_blocks(rows: Sequence[QuestionRow], answerers: Sequence[str]) -> list[Block]:
    if not any(r.asked for r in rows):
        return []

    lines = [_row(("week", "asked", "answered", "1st reply", "p90"))]
    for r in rows:
        share = f"{round(100 * r.answered / r.asked)}%" if r.asked else "-"
        lines.append(_row((r.label, r.asked, share, _short(r.median), _short(r.p90))))
    text = ":grey_question: *Questions* (1st reply: the median wait for a first answer)\n"
    text += "```\n" + "\n".join(lines) + "\n```"
    if answerers:
        text += "\nAnswered most: " + ", ".join(escape(a) for a in answerers)
    return [section(text)]


def render_stats(
    *,
    community_name: str,
    weeks: Sequence[WeekStats],
    slipping: Sequence[str],
    from_start: bool = False,
    questions: Sequence[QuestionRow] = (),
    answerers: Sequence[str] = (),
) -> Message:
    """The weekly table and who is slipping away (by name); `from_start` when the weeks are
    all the community has had (it is younger than the weeks asked for)."""

    header = _row(COLUMNS)
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
        lines.append(_row(values))
    table = "```\n" + "\n".join(lines) + "\n```"
    blocks = [
        section(f":bar_chart: *{to_mrkdwn(community_name)}*, {_span(len(weeks), from_start)}"),
        section(table),
        *_question_blocks(questions, answerers),
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
