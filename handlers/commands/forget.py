"""/cop forget me: remove everything copbot stored about the caller, after a confirmation."""

from __future__ import annotations

from bot.blocks.forget import render_forget_question
from bot.errors import CopError
from handlers.commands.invocation import Invocation
from handlers.commands.registry import EVERYONE, Subcommand
from storage import communities, db


def run_forget(inv: Invocation) -> None:
    """Ask for confirmation (the button does the deleting)."""
    if inv.args.strip().lower() != "me":
        raise CopError("To remove everything copbot stored about you, type `/cop forget me`.")
    with db.session() as session:
        mine = communities.communities_of_user(
            session=session, team_id=inv.team_id, user_id=inv.user_id
        )
        last = [
            c.name
            for c in mine
            if communities.facilitator_ids(session=session, community_id=c.id or 0) == [inv.user_id]
        ]
    inv.reply(render_forget_question(last_facilitator_of=last))


SUBCOMMANDS = (
    Subcommand(
        "forget",
        "forget me",
        "remove your knowledge, kudos and memberships from copbot (asks first)",
        EVERYONE,
        run_forget,
    ),
)
