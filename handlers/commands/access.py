"""Who may run a subcommand, applied by the router from the subcommand's declared audience."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from bot.errors import CopError
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, MEMBERS, Subcommand
from handlers.shared.communities import require_community
from handlers.shared.roles import require_facilitator
from storage import communities, db
from storage.models import Community


def admit(subcommand: Subcommand, inv: Invocation) -> Invocation:
    """`inv` with its community found, once the caller may run `subcommand` there.

    Raises:
        CopError: not in a community's channel, not a facilitator of it, or (members'
            subcommands) someone who left the community.
    """
    if not subcommand.needs_community:
        return inv
    with db.session() as session:
        community = require_community(
            session=session,
            team_id=inv.team_id,
            user_id=inv.user_id,
            channel_id=inv.channel_id,
            what=f"/cop {subcommand.name}",
            in_dm=inv.in_dm,
        )
        if subcommand.audience == FACILITATORS:
            require_facilitator(session, inv.client, community, inv.user_id, what=subcommand.action)
        elif subcommand.audience == MEMBERS:
            _admit_member(session, community, inv.user_id, subcommand.name)
    return replace(inv, community=community)


def _admit_member(session: Session, community: Community, user_id: str, name: str) -> None:
    """People in a community's channel are its members; those who left must join again."""
    assert community.id is not None
    member = communities.get_member(session=session, community_id=community.id, user_id=user_id)
    if member is None:
        communities.join_community(session=session, community=community, user_id=user_id)
    elif not member.active:
        raise CopError(
            f"You left *{community.name}*. `/cop join` first, then try `/cop {name}` again."
        )
