"""/cop questions [open|answered|mine]: the questions asked in this community's channels."""

from __future__ import annotations

from bot.blocks.questions import ANSWERED, MINE, OPEN, SHOWN, QuestionLine, render_questions
from bot.errors import CopError
from bot.lookups import display_names, permalink
from handlers.commands.invocation import Invocation
from handlers.commands.registry import EVERYONE, Subcommand
from handlers.shared.privacy import visible_private_channels
from storage import db, questions
from storage.clock import utcnow
from storage.models.questions import QUESTION_ANSWERED, QUESTION_OPEN

USAGE = "Try `/cop questions`, `/cop questions answered` or `/cop questions mine`."


def run_questions(inv: Invocation) -> None:
    """The community's open questions (or its answered ones, or the caller's own), with their
    age and replies; a private channel's only for the people in it."""
    which = (inv.args.split() or [OPEN])[0].lower()
    if which not in (OPEN, ANSWERED, MINE):
        raise CopError(f"I know open, answered and mine. {USAGE}")
    now = utcnow()
    with db.session() as session:
        community = inv.home
        assert community.id is not None
        listed = questions.questions_of(
            session=session,
            community_id=community.id,
            status={OPEN: QUESTION_OPEN, ANSWERED: QUESTION_ANSWERED}.get(which),
            asker_id=inv.user_id if which == MINE else None,
        )
        if any(item.question.is_private for item in listed):
            visible = set(
                visible_private_channels(
                    inv.client, session, team_id=inv.team_id, user_id=inv.user_id
                )
            )
            listed = [
                item
                for item in listed
                if not item.question.is_private or item.question.channel_id in visible
            ]
        shown = listed[:SHOWN]
        people = [i.question.asker_id for i in shown]
        people += [i.question.answered_by for i in shown if i.question.answered_by]
        names = display_names(inv.client, session, team_id=inv.team_id, user_ids=people)
        items = [
            QuestionLine(
                text=q.text,
                permalink=permalink(inv.client, q.channel_id, q.message_ts),
                asker=names.get(q.asker_id, "someone"),
                age=now - q.asked_at,
                replies=replies,
                answered_by=names.get(q.answered_by or "", ""),
                open=q.status == QUESTION_OPEN,
            )
            for q, replies in shown
        ]
        message = render_questions(
            community_name=community.name, which=which, items=items, total=len(listed)
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
