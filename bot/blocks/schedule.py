"""A community's weekly schedule, as facilitators see and edit it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.blocks.kit import Block, Message, context, plain, section
from bot.mrkdwn import escape
from scheduler.periods import DAY_NAMES, Slot, format_slot
from storage.markup import to_mrkdwn

SCHEDULE_VIEW = "schedule"
TIMEZONE_BLOCK, TIMEZONE_ACTION = "timezone", "timezone_input"


@dataclass(frozen=True)
class ScheduleLine:
    """One kind's slot, its next run and its last post, already in local words."""

    kind: str
    label: str
    weekday: int
    minute: int
    enabled: bool
    next_run: str = ""
    last_post: str = ""


def _when(line: ScheduleLine) -> str:
    return format_slot(Slot(line.weekday, line.minute)) if line.enabled else "off"


def schedule_changes(
    before: Sequence[ScheduleLine],
    after: Sequence[ScheduleLine],
    *,
    timezone_before: str,
    timezone_after: str,
) -> str:
    """What a change did, in one line: ":white_check_mark: Saved. Weekly digest: Thu 15:00 →
    Fri 16:00." or "Nothing changed: …"."""
    was = {line.kind: _when(line) for line in before}
    changed = [
        f"{line.label}: {was[line.kind]} → {_when(line)}"
        for line in after
        if line.kind in was and was[line.kind] != _when(line)
    ]
    if timezone_before != timezone_after:
        changed.append(f"Timezone: {escape(timezone_before)} → {escape(timezone_after)}")
    if not changed:
        return "Nothing changed: the schedule already says that."
    return ":white_check_mark: Saved. " + "; ".join(changed) + "."


def schedule_text(lines: Sequence[ScheduleLine], timezone: str, *, paused: bool = False) -> str:
    """The schedule as mrkdwn lines, with next and last runs in local time."""
    rows = []
    for line in lines:
        label = line.label
        if not line.enabled:
            rows.append(f"• {label}: off")
            continue
        row = f"• {label}: {format_slot(Slot(line.weekday, line.minute))}"
        if paused:
            row += " (paused)"
        elif line.next_run:
            row += f", next {line.next_run}"
        if line.last_post:
            row += f" · last {line.last_post}"
        rows.append(row)
    return f"*Schedule* ({escape(timezone)})\n" + "\n".join(rows)


def render_schedule(
    *,
    community_name: str,
    lines: Sequence[ScheduleLine],
    timezone: str,
    paused: bool,
    note: str = "",
) -> Message:
    """The answer to `/cop schedule …` (after `note`, what the command changed)."""
    blocks: list[Block] = [
        *([section(note)] if note else []),
        section(schedule_text(lines, timezone, paused=paused)),
        context(
            "`/cop schedule` opens it in a form. To change one thing, try "
            "`/cop schedule digest fri 16:00`, `/cop schedule timezone Europe/Berlin` "
            "or `/cop schedule off kudos`."
        ),
    ]
    return Message(text=f"Schedule of {to_mrkdwn(community_name)}", blocks=blocks)


def _day_select(kind: str, weekday: int) -> Block:
    options = [{"text": plain(name), "value": str(i)} for i, name in enumerate(DAY_NAMES)]
    return {
        "type": "input",
        "block_id": f"{kind}_day",
        "label": plain("Day"),
        "element": {
            "type": "static_select",
            "action_id": "day",
            "options": options,
            "initial_option": options[weekday % 7],
        },
    }


def _time_and_switch(kind: str, minute: int, enabled: bool) -> list[Block]:
    on = {"text": plain("Post it every week"), "value": "on"}
    switch: Block = {"type": "checkboxes", "action_id": "on", "options": [on]}
    if enabled:
        switch["initial_options"] = [on]
    return [
        {
            "type": "input",
            "block_id": f"{kind}_time",
            "label": plain("Time"),
            "element": {
                "type": "timepicker",
                "action_id": "time",
                "initial_time": f"{minute // 60:02d}:{minute % 60:02d}",
            },
        },
        {
            "type": "input",
            "block_id": f"{kind}_on",
            "optional": True,
            "label": plain("Posted"),
            "element": switch,
        },
    ]


def schedule_modal(
    *, community_id: int, lines: Sequence[ScheduleLine], timezone: str
) -> dict[str, Any]:
    """The `/cop schedule` form: a day, a time and an on/off switch per kind, and the timezone."""
    blocks: list[Block] = []
    for line in lines:
        if blocks:
            blocks.append({"type": "divider"})
        blocks.append({"type": "header", "text": plain(line.label)})
        blocks.append(_day_select(line.kind, line.weekday))
        blocks.extend(_time_and_switch(line.kind, line.minute, line.enabled))
    blocks.append(
        {
            "type": "input",
            "block_id": TIMEZONE_BLOCK,
            "label": plain("Timezone (IANA name)"),
            "element": {
                "type": "plain_text_input",
                "action_id": TIMEZONE_ACTION,
                "initial_value": timezone,
                "placeholder": plain("e.g. Europe/Berlin"),
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": SCHEDULE_VIEW,
        "private_metadata": str(community_id),
        "title": plain("Weekly schedule"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }
