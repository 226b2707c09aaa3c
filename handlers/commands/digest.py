"""/cop digest: preview this week's digest, or post it now (it then counts as this week's)."""

from __future__ import annotations

from bot.errors import CopError
from handlers.commands.common import facilitated_here
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from scheduler.jobs import digest_message, post_digest
from scheduler.periods import period_key
from storage import db, schedule
from storage.clock import utcnow
from storage.models.schedule import KIND_DIGEST


def run_digest(inv: Invocation) -> None:
    """Preview (only you see it) or post this week's digest."""
    action = inv.args.strip().lower()
    if action not in ("", "preview", "post"):
        raise CopError("Try `/cop digest` for a preview or `/cop digest post` to post it now.")
    now = utcnow()
    with db.session() as session:
        community = facilitated_here(inv, session, "/cop digest", "see or post the digest")
        if action != "post":
            inv.reply(digest_message(inv.client, session, community=community, now=now))
            return
        period = period_key(now, community.timezone)
        post = schedule.claim_post(
            session=session,
            community=community,
            kind=KIND_DIGEST,
            period=period,
            scheduled_for=now,
            claimed_by=f"/cop digest post by {inv.user_id}",
        )
        if post is None:
            raise CopError(f"This week's digest ({period}) has already gone out.")
        outcome = post_digest(inv.client, session, community=community, now=now)
        schedule.mark_posted(
            session=session,
            post=post,
            channel_id=outcome.channel_id,
            message_ts=outcome.message_ts,
        )
    inv.reply_text(f"Posted this week's digest ({period}); the scheduled one won't repeat it.")


SUBCOMMANDS = (
    Subcommand(
        "digest",
        "digest [post]",
        "preview this week's digest (only you see it), or post it now",
        FACILITATORS,
        run_digest,
    ),
)
