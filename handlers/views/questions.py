"""Close and Reopen on /cop questions: a facilitator settles a question by hand."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.kit import title_of
from bot.blocks.questions import QUESTION_CLOSE, parse_button_value
from bot.errors import CopError
from bot.lookups import team_of
from bot.mrkdwn import escape, truncate
from handlers.shared.privacy import may_see
from handlers.shared.questions import questions_message
from handlers.shared.roles import require_facilitator
from storage import communities, db, questions


def question_button_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """Close an open question, or reopen one; the list is shown again, saying so."""
    ack()
    team_id, user_id = team_of(context, body), body["user"]["id"]
    named = parse_button_value(action.get("value") or "")
    with db.session() as session:
        question = named and questions.question_by_id(
            session=session, team_id=team_id, question_id=named[0]
        )
        community = question and communities.get_community(
            session=session, team_id=team_id, community_id=question.community_id
        )
        # a private channel's question is, to anyone outside it, not there at all
        hidden = bool(question and not may_see(client, session, user_id=user_id, item=question))
        if not named or not question or not community or hidden:
            raise CopError("That question is no longer there.")
        require_facilitator(session, client, community, user_id, what="close or reopen questions")
        quoted = f"“{escape(truncate(title_of('', question.text), 80))}”"
        if action.get("action_id") == QUESTION_CLOSE:
            done = questions.close_question(session=session, question=question)
            note = f"Closed {quoted}." if done else f"{quoted} was no longer open."
        else:
            done = questions.reopen_question(session=session, question=question)
            note = f"Reopened {quoted}." if done else f"{quoted} was open already."
        message = questions_message(
            client, session, community=community, which=named[1], viewer=user_id, note=note
        )
    respond(replace_original=True, response_type="ephemeral", **message.as_kwargs())
