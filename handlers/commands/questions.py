"""/cop questions [open|answered|mine]: the questions asked in this community's channels."""

from __future__ import annotations

from bot.blocks.questions import ANSWERED, MINE, OPEN
from bot.errors import CopError
from handlers.commands.invocation import Invocation
from handlers.commands.registry import EVERYONE, Subcommand
from handlers.shared.questions import questions_message
from storage import db

USAGE = "Try `/cop questions`, `/cop questions answered` or `/cop questions mine`."


def run_questions(inv: Invocation) -> None:
    """The community's open questions (or its answered ones, or the caller's own), with their
    age and replies; a private channel's only for the people in it."""
    which = (inv.args.split() or [OPEN])[0].lower()
    if which not in (OPEN, ANSWERED, MINE):
        raise CopError(f"I know open, answered and mine. {USAGE}")
    with db.session() as session:
        message = questions_message(
            inv.client, session, community=inv.home, which=which, viewer=inv.user_id
        )
    inv.reply(message)


SUBCOMMANDS = (
    Subcommand(
        "questions",
        "questions [open|answered|mine]",
        "questions asked in this community's channels: age, replies, who answered",
        EVERYONE,
        run_questions,
        aliases=("question", "q"),
        in_community=True,
    ),
)
