"""The "Previous" and "Next" buttons under search results."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.knowledge import parse_more_value
from bot.lookups import team_of
from handlers.shared.search import search_message
from storage import db


def search_page_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """Replace the results with the page the button names."""
    ack()
    query, offset = parse_more_value(action.get("value") or "")
    team_id = team_of(context, body)
    with db.session() as session:
        message = search_message(
            client, session, team_id=team_id, user_id=body["user"]["id"], raw=query, offset=offset
        )
    respond(replace_original=True, response_type="ephemeral", **message.as_kwargs())
