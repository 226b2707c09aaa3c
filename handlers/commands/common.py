"""What several subcommands say the same way."""

from __future__ import annotations

from bot.errors import CopError
from scheduler import posts


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
