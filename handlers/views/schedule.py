"""The `/cop schedule` form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.schedule import TIMEZONE_ACTION, TIMEZONE_BLOCK, schedule_changes, schedule_text
from bot.errors import CopError
from bot.lookups import team_of
from bot.private import tell
from handlers.shared.forms import (
    checked,
    field_error,
    metadata,
    selected_time,
    selected_value,
    small_number,
    text_value,
)
from handlers.shared.roles import require_facilitator
from handlers.shared.schedule import valid_timezone
from scheduler.kinds import KINDS
from scheduler.periods import parse_time
from scheduler.slots import schedule_lines
from storage import communities, db, schedule
from storage.clock import utcnow


@dataclass(frozen=True)
class KindChoice:
    kind: str
    weekday: int
    minute: int
    enabled: bool


def read_form(view: dict[str, Any]) -> tuple[str, list[KindChoice], dict[str, str]]:
    """The timezone and each kind's day, time and switch; errors by block id, in words."""
    errors: dict[str, str] = {}
    timezone = text_value(view, TIMEZONE_BLOCK, TIMEZONE_ACTION).strip()
    try:
        valid_timezone(timezone)
    except CopError as error:
        errors[TIMEZONE_BLOCK] = field_error(error)
    choices = []
    for kind in (k.name for k in KINDS):
        day = small_number(selected_value(view, f"{kind}_day", "day"), most=6)
        if day is None:
            errors[f"{kind}_day"] = "Pick a day of the week."
        try:
            minute = parse_time(selected_time(view, f"{kind}_time", "time"))
        except ValueError:
            errors[f"{kind}_time"] = "Pick a time of day, like 10:00."
            minute = 0
        choices.append(KindChoice(kind, day or 0, minute, checked(view, f"{kind}_on", "on")))
    return timezone, choices, errors


def schedule_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Apply the form: each kind's day, time and switch, and the timezone."""
    team_id, user_id = team_of(context, body), body["user"]["id"]
    timezone, choices, errors = read_form(view)
    community_id = small_number(metadata(view))
    if errors:  # Slack shows each under its field and keeps the form open
        ack(response_action="errors", errors=errors)
        return
    ack()
    with db.session() as session:
        community = communities.get_community(
            session=session, team_id=team_id, community_id=community_id or 0
        )
        if community is None:
            raise CopError("That community no longer exists.")
        require_facilitator(session, client, community, user_id, what="change the schedule")
        before, timezone_before = schedule_lines(session, community, utcnow()), community.timezone
        communities.update_settings(session=session, community=community, timezone=timezone)
        for choice in choices:
            schedule.set_schedule(
                session=session,
                community=community,
                kind=choice.kind,
                weekday=choice.weekday,
                minute=choice.minute,
                enabled=choice.enabled,
            )
        after = schedule_lines(session, community, utcnow())
        text = schedule_text(after, community.timezone)
        done = schedule_changes(
            before, after, timezone_before=timezone_before, timezone_after=community.timezone
        )
        home = communities.home_channel(session=session, community_id=community.id or 0)
    tell(
        client,
        channel_id=home.channel_id if home else user_id,
        user_id=user_id,
        text=f"{done}\n{text}",
    )
