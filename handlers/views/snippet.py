"""The "Show more" button under a long shared post: the whole snippet, in a modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.knowledge import snippet_modal
from bot.errors import CopError
from bot.lookups import display_names, team_of
from handlers.shared.forms import small_number
from handlers.shared.privacy import visible_private_channels
from storage import db, knowledge
from storage.markup import mentioned_users, with_names
from storage.models.knowledge import STATUS_WITHDRAWN


def snippet_show_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Open the snippet the button names, for someone who may read it (a private channel's
    knowledge only for that channel's members, whatever the button's value says)."""
    ack()
    team_id = team_of(context, body)
    user_id = body["user"]["id"]
    with db.session() as session:
        snippet_id = small_number(action.get("value")) or 0
        snippet = knowledge.snippet_by_id(session=session, team_id=team_id, snippet_id=snippet_id)
        if snippet is not None and snippet.is_private:
            visible = visible_private_channels(client, session, team_id=team_id, user_id=user_id)
            if snippet.channel_id not in visible:
                snippet = None
        if snippet is None or snippet.status == STATUS_WITHDRAWN:
            raise CopError("That knowledge is no longer kept: it was withdrawn or forgotten.")
        people = [snippet.author_id, *mentioned_users(snippet.text)]
        names = display_names(client, session, team_id=team_id, user_ids=people)
        view = snippet_modal(
            title=with_names(snippet.title, names),
            text=with_names(snippet.text, names),
            permalink=snippet.permalink,
            author_name=names.get(snippet.author_id, "someone"),
        )
    client.views_open(trigger_id=body["trigger_id"], view=view)
