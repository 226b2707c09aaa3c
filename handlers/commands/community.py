"""/cop create, info, join and leave."""

from __future__ import annotations

from bot.blocks.community import create_modal, first_steps, render_info, render_membership
from bot.errors import CopError
from handlers.commands.invocation import Invocation
from handlers.commands.registry import EVERYONE, Subcommand
from handlers.shared.communities import (
    check_can_create,
    parse_create_args,
    start_community,
    welcome_message,
)
from scheduler.slots import schedule_lines
from storage import communities, db
from storage.clock import utcnow


def run_create(inv: Invocation) -> None:
    """Start a community in this channel (no name: open the modal)."""
    with db.session() as session:
        if not inv.args:
            check_can_create(
                session=session,
                client=inv.client,
                team_id=inv.team_id,
                channel_id=inv.channel_id,
                name="",
            )
            inv.client.views_open(
                trigger_id=inv.trigger_id,
                view=create_modal(channel_id=inv.channel_id, channel_name=inv.channel_name),
            )
            return
        new = parse_create_args(inv.args)
        facts = check_can_create(
            session=session,
            client=inv.client,
            team_id=inv.team_id,
            channel_id=inv.channel_id,
            name=new.name,
        )
        community = start_community(
            session=session,
            client=inv.client,
            team_id=inv.team_id,
            user_id=inv.user_id,
            facts=facts,
            new=new,
            timezone=inv.settings.default_timezone,
            bot_user_id=inv.bot_user_id,
            logger=inv.logger,
        )
        inv.reply_text(first_steps(community.timezone))  # the creator's, beside the announcement


def run_info(inv: Invocation) -> None:
    """Describe this channel's community."""
    with db.session() as session:
        community = inv.home
        overview = communities.community_overview(session=session, community=community)
        lines = schedule_lines(session, community, utcnow())
    inv.reply(render_info(overview, lines))


def _membership(inv: Invocation, *, join: bool) -> None:
    with db.session() as session:
        community = inv.home
        assert community.id is not None
        try:
            if join:
                changed = communities.join_community(
                    session=session, community=community, user_id=inv.user_id
                )
            else:
                changed = communities.leave_community(
                    session=session,
                    community=community,
                    user_id=inv.user_id,
                    keep_a_facilitator=True,
                )
        except communities.LastFacilitator:
            raise CopError(
                f"You're the last facilitator of *{community.name}*. Hand over first with "
                "`/cop facilitator add @name`, then leave."
            ) from None
        if join and changed:  # the newcomer's welcome, as joining the channel gives it
            message = welcome_message(inv.client, session, community, inv.channel_id)
        else:
            message = render_membership(
                name=community.name, channel_id=inv.channel_id, joined=join, changed=changed
            )
    inv.reply(message)


def run_join(inv: Invocation) -> None:
    """Become a member of this channel's community."""
    _membership(inv, join=True)


def run_leave(inv: Invocation) -> None:
    """Stop being a member of this channel's community."""
    _membership(inv, join=False)


SUBCOMMANDS = (
    Subcommand(
        "create",
        "create <name> [— domain]",
        "start a community in this channel (no name opens a form); you become its facilitator",
        EVERYONE,
        run_create,
        aliases=("new", "start"),
    ),
    Subcommand(
        "info",
        "info",
        "this community's domain, facilitators, members, knowledge and schedule",
        EVERYONE,
        run_info,
        aliases=("about",),
        in_community=True,
    ),
    Subcommand(
        "join",
        "join",
        "become a member of this channel's community",
        EVERYONE,
        run_join,
        in_community=True,
    ),
    Subcommand(
        "leave",
        "leave",
        "stop being a member of this channel's community",
        EVERYONE,
        run_leave,
        in_community=True,
    ),
)
