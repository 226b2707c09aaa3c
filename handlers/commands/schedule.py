"""/cop schedule and /cop resume: when scheduled posts go out, in the community's timezone."""

from __future__ import annotations

from bot.blocks.schedule import render_schedule, schedule_changes, schedule_modal
from bot.errors import CopError
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from handlers.shared.schedule import parse_kind, valid_timezone
from scheduler.kinds import BY_WORD, KINDS
from scheduler.periods import parse_day, parse_time
from scheduler.slots import schedule_lines
from storage import communities, db, schedule
from storage.clock import utcnow

USAGE = (
    "Try `/cop schedule digest fri 16:00`, `/cop schedule timezone Europe/Berlin`, "
    "`/cop schedule off kudos` or `/cop schedule on kudos`."
)


def run_schedule(inv: Invocation) -> None:
    """Show, change or (without arguments) edit in a form the weekly schedule."""
    words = inv.args.split()
    with db.session() as session:
        community = inv.home
        assert community.id is not None
        if not words:
            lines = schedule_lines(session, community, utcnow())
            inv.client.views_open(
                trigger_id=inv.trigger_id,
                view=schedule_modal(
                    community_id=community.id, lines=lines, timezone=community.timezone
                ),
            )
            return
        head = words[0].lower()
        before, timezone_before = schedule_lines(session, community, utcnow()), community.timezone
        if head in ("timezone", "tz") and len(words) == 2:
            communities.update_settings(
                session=session, community=community, timezone=valid_timezone(words[1])
            )
        elif head in ("off", "on") and len(words) == 2:
            schedule.set_schedule(
                session=session,
                community=community,
                kind=parse_kind(words[1]).name,
                enabled=head == "on",
            )
        elif head in BY_WORD and len(words) == 3:
            try:
                weekday, minute = parse_day(words[1]), parse_time(words[2])
            except ValueError as exc:
                raise CopError(f"{exc} {USAGE}") from None
            schedule.set_schedule(
                session=session,
                community=community,
                kind=parse_kind(head).name,
                weekday=weekday,
                minute=minute,
                enabled=True,
            )
        elif head != "show":
            raise CopError(f"I didn't get that. {USAGE}")
        after = schedule_lines(session, community, utcnow())
        message = render_schedule(
            community_name=community.name,
            lines=after,
            timezone=community.timezone,
            paused=community.paused,
            note=""
            if head == "show"
            else schedule_changes(
                before, after, timezone_before=timezone_before, timezone_after=community.timezone
            ),
        )
    inv.reply(message)


def run_resume(inv: Invocation) -> None:
    """Restart scheduled posts of a paused community."""
    with db.session() as session:
        community = inv.home
        if not schedule.resume_community(session=session, community=community):
            raise CopError(f"*{community.name}* isn't paused; its posts go out as scheduled.")
    inv.reply_text(
        f":arrow_forward: *{community.name}* is running again; its next posts go out as scheduled."
    )


SUBCOMMANDS = (
    Subcommand(
        "schedule",
        "schedule [<kind> <day> <HH:MM> | timezone <IANA> | off <kind> | on <kind>]",
        f"when the weekly posts go out ({', '.join(k.name for k in KINDS)}); "
        "no arguments opens a form",
        FACILITATORS,
        run_schedule,
        action="change the schedule",
    ),
    Subcommand(
        "resume",
        "resume",
        "restart the scheduled posts of a paused community",
        FACILITATORS,
        run_resume,
        action="resume the community",
    ),
)
