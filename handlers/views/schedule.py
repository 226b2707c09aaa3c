"""The `/cop schedule` form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.schedule import TIMEZONE_ACTION, TIMEZONE_BLOCK, schedule_text
from bot.errors import CopError
from bot.lookups import team_of
from bot.private import tell
from handlers.shared.roles import require_facilitator
from handlers.shared.schedule import valid_timezone
from scheduler.kinds import KINDS
from scheduler.slots import schedule_lines
from storage import communities, db, schedule
from storage.clock import utcnow


def _state(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    values = view.get("state", {}).get("values", {})
    return (values.get(block, {}) or {}).get(action) or {}


def schedule_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Apply the form: each kind's day, time and switch, and the timezone."""
    team_id, user_id = team_of(context, body), body["user"]["id"]
    timezone = (_state(view, TIMEZONE_BLOCK, TIMEZONE_ACTION).get("value") or "").strip()
    try:
        valid_timezone(timezone)
    except CopError as error:
        ack(response_action="errors", errors={TIMEZONE_BLOCK: error.reason.replace("`", "")[:150]})
        return
    ack()
    with db.session() as session:
        community_id = int(view.get("private_metadata") or 0)
        community = communities.get_community(
            session=session, team_id=team_id, community_id=community_id
        )
        if community is None:
            raise CopError("That community no longer exists.")
        require_facilitator(session, client, community, user_id, what="change the schedule")
        communities.update_settings(session=session, community=community, timezone=timezone)
        for kind in (k.name for k in KINDS):
            day = (_state(view, f"{kind}_day", "day").get("selected_option") or {}).get("value")
            time = _state(view, f"{kind}_time", "time").get("selected_time") or ""
            switched_on = bool(_state(view, f"{kind}_on", "on").get("selected_options"))
            hours, _, minutes = time.partition(":")
            schedule.set_schedule(
                session=session,
                community=community,
                kind=kind,
                weekday=int(day) if day is not None and str(day).isdigit() else None,
                minute=int(hours) * 60 + int(minutes)
                if hours.isdigit() and minutes.isdigit()
                else None,
                enabled=switched_on,
            )
        text = schedule_text(schedule_lines(session, community, utcnow()), community.timezone)
        home = communities.home_channel(session=session, community_id=community_id)
    tell(
        client,
        channel_id=home.channel_id if home else user_id,
        user_id=user_id,
        text=f"Saved.\n{text}",
    )
