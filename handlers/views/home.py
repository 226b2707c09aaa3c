"""The App Home buttons: share and search."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.home import QUERY_ACTION, QUERY_BLOCK, search_modal, search_results_modal
from bot.lookups import team_of
from handlers.shared.forms import text_value
from handlers.shared.saving import share_form
from handlers.shared.search import parse_query, search_message
from storage import db
from storage.markup import from_typed


def home_share_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Open the share form, as the global shortcut does."""
    ack()
    with db.session() as session:
        view = share_form(session, team_id=team_of(context, body), user_id=body["user"]["id"])
    client.views_open(trigger_id=body["trigger_id"], view=view)


def home_search_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Open the search form."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=search_modal())


def home_search_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Show the results in the modal itself."""
    raw = from_typed(text_value(view, QUERY_BLOCK, QUERY_ACTION))  # raw, as a modal sends it
    if parse_query(raw).empty:
        ack(response_action="errors", errors={QUERY_BLOCK: "Type a word, a #tag or an @person."})
        return
    with db.session() as session:
        message = search_message(
            client, session, team_id=team_of(context, body), user_id=body["user"]["id"], raw=raw
        )
    ack(response_action="update", view=search_results_modal(message.blocks))
