"""The Confirm button on pending knowledge."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.errors import CopError
from bot.lookups import team_of
from handlers.shared.forms import small_number
from handlers.shared.home import publish_home
from handlers.shared.pending import pending_message
from handlers.shared.roles import require_facilitator
from storage import communities, db, knowledge


def confirm_snippet_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """A facilitator confirms one pending snippet; the list is shown again without it."""
    ack()
    team_id = team_of(context, body)
    user_id = body["user"]["id"]
    with db.session() as session:
        snippet_id = small_number(action.get("value")) or 0
        snippet = knowledge.snippet_by_id(session=session, team_id=team_id, snippet_id=snippet_id)
        if snippet is None:
            raise CopError("That snippet no longer exists.")
        community = communities.get_community(
            session=session, team_id=team_id, community_id=snippet.community_id
        )
        assert community is not None
        require_facilitator(session, client, community, user_id, what="confirm knowledge")
        knowledge.confirm_snippet(
            session=session, snippet=snippet, community=community, facilitator_id=user_id
        )
        if not body.get("response_url"):  # clicked on the home tab: show it again
            publish_home(client, session, team_id=team_id, user_id=user_id)
            return
        message = pending_message(client, session, community)
    respond(replace_original=True, response_type="ephemeral", **message.as_kwargs())
