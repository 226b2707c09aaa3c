"""What most subcommands start with: this channel's community, and the caller's right to act."""

from __future__ import annotations

from sqlmodel import Session

from handlers.commands.invocation import Invocation
from handlers.flows.communities import require_community
from handlers.flows.roles import require_facilitator
from storage.models import Community


def community_here(inv: Invocation, session: Session, what: str) -> Community:
    """The community of the channel the command ran in, or a CopError saying where to go."""
    return require_community(
        session=session,
        team_id=inv.team_id,
        user_id=inv.user_id,
        channel_id=inv.channel_id,
        what=what,
        in_dm=inv.in_dm,
    )


def facilitated_here(inv: Invocation, session: Session, what: str, action: str) -> Community:
    """This channel's community, if the caller facilitates it (CopError otherwise)."""
    community = community_here(inv, session, what)
    require_facilitator(session, inv.client, community, inv.user_id, what=action)
    return community
