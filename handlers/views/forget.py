"""The buttons of /cop forget me."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.blocks.forget import render_forgotten
from bot.lookups import team_of
from storage import db
from storage.forget import forget_user


def forget_me_confirmed(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """Delete everything about the person who clicked, and say what went."""
    ack()
    with db.session() as session:
        gone = forget_user(
            session=session, team_id=team_of(context, body), user_id=body["user"]["id"]
        )
    message = render_forgotten(
        snippets=gone.snippets,
        endorsements=gone.endorsements,
        kudos=gone.kudos,
        memberships=gone.memberships,
        messages=gone.messages,
        replies=gone.replies,
    )
    respond(replace_original=True, response_type="ephemeral", **message.as_kwargs())


def forget_me_cancelled(ack: Ack, respond: Respond) -> None:
    """Nothing is deleted."""
    ack()
    respond(replace_original=True, response_type="ephemeral", text="Nothing was removed.")
