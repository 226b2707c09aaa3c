"""What most subcommands start with: this channel's community, and the caller's right to act."""

from __future__ import annotations

from sqlmodel import Session

from bot.errors import CopError
from handlers.commands.invocation import Invocation
from handlers.shared.communities import require_community
from handlers.shared.roles import require_facilitator
from scheduler import posts
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


def posted_reply(attempt: posts.Attempt, what: str) -> str:
    """What a facilitator who asked for a post now is told about it."""
    if attempt.outcome == posts.POSTED:
        return f"Posted {what}; the scheduled one won't repeat it."
    if attempt.outcome == posts.TAKEN:
        raise CopError(f"{what[0].upper()}{what[1:]} has already gone out.")
    if attempt.outcome == posts.SKIPPED:
        raise CopError(f"Nothing was posted: {attempt.detail}.")
    if attempt.outcome == posts.PAUSED:
        raise CopError(
            f"Slack refused ({attempt.detail}), so the community is paused and its facilitators "
            "were told. Fix the channel, then `/cop resume`."
        )
    retry = " copbot will try again in a few minutes." if attempt.will_retry else ""
    raise CopError(f"{what[0].upper()}{what[1:]} didn't go out ({attempt.detail}).{retry}")
