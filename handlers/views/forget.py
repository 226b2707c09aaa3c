"""The buttons of /cop forget me."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.forget import render_forgotten
from bot.lookups import team_of
from storage import db
from storage.forget import copbot_posts_of, forget_user


def forget_me_confirmed(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    """Delete everything about the person who clicked, and say what went."""
    ack()
    team_id, user_id = team_of(context, body), body["user"]["id"]
    with db.session() as session:
        posts = copbot_posts_of(session=session, team_id=team_id, user_id=user_id)
        gone = forget_user(session=session, team_id=team_id, user_id=user_id)
    deleted = sum(_delete(client, channel, ts) for channel, ts in posts)
    message = render_forgotten(
        snippets=gone.snippets,
        endorsements=gone.endorsements,
        kudos=gone.kudos,
        memberships=gone.memberships,
        messages=gone.messages,
        replies=gone.replies,
        posts=deleted,
    )
    respond(replace_original=True, response_type="ephemeral", **message.as_kwargs())


def _delete(client: WebClient, channel: str, ts: str) -> bool:
    """Take down a post copbot made in the person's name; False if Slack will not."""
    try:
        client.chat_delete(channel=channel, ts=ts)
    except SlackApiError:  # gone already, or not copbot's to delete (a shortcut-saved message)
        return False
    return True


def forget_me_cancelled(ack: Ack, respond: Respond) -> None:
    """Nothing is deleted."""
    ack()
    respond(replace_original=True, response_type="ephemeral", text="Nothing was removed.")
