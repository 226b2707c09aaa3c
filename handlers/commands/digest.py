"""/cop digest: preview this week's digest, or post it now (it then counts as this week's)."""

from __future__ import annotations

from bot.errors import CopError
from handlers.commands.common import posted_reply
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from scheduler import posts
from scheduler.kinds import DIGEST
from scheduler.periods import period_key
from storage import db
from storage.clock import utcnow


def run_digest(inv: Invocation) -> None:
    """Preview (only you see it) or post this week's digest."""
    action = inv.args.strip().lower()
    if action not in ("", "preview", "post"):
        raise CopError("Try `/cop digest` for a preview or `/cop digest post` to post it now.")
    now = utcnow()
    with db.session() as session:
        community = inv.home
        if action != "post":
            draft = DIGEST.draft_for(inv.client, session, community=community, now=now)
            assert draft.message is not None
            inv.reply(draft.message)
            return
        period = period_key(now, community.timezone)
        attempt = posts.claim_and_post(
            inv.client,
            session,
            community=community,
            kind=DIGEST,
            period=period,
            scheduled_for=now,
            now=now,
            claimed_by=f"/cop digest post by {inv.user_id}",
        )
    inv.reply_text(posted_reply(attempt, "this week's digest"))


SUBCOMMANDS = (
    Subcommand(
        "digest",
        "digest [post]",
        "preview this week's digest (only you see it), or post it now",
        FACILITATORS,
        run_digest,
        action="see or post the digest",
    ),
)
