"""The Undo button under "You endorsed …": that person's endorsement stops counting."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.kit import title_of
from bot.blocks.knowledge import parse_undo_value
from bot.errors import CopError
from bot.lookups import team_of
from bot.mrkdwn import escape, truncate
from handlers.shared.knowledge import endorse
from storage import communities, db, knowledge


def endorse_undo_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """Take back the clicker's own endorsement, with every knowledge emoji (whatever the
    button's value says, nobody else's); Slack keeps their reactions on the message, which
    copbot cannot remove."""
    ack()
    team_id, user_id = team_of(context, body), body["user"]["id"]
    named = parse_undo_value(action.get("value") or "")
    with db.session() as session:
        snippet = (
            knowledge.snippet_by_id(session=session, team_id=team_id, snippet_id=named[0])
            if named
            else None
        )
        community = snippet and communities.get_community(
            session=session, team_id=team_id, community_id=snippet.community_id
        )
        if named is None or snippet is None or not community:
            raise CopError("That knowledge is no longer kept, so there is nothing to undo.")
        if user_id not in knowledge.endorser_ids(session=session, snippet=snippet):
            # undone already, or never theirs: and the button says nothing of what it names
            raise CopError("There is nothing of yours to undo there: it no longer counts.")
        for emoji in set(community.knowledge_emojis) - {named[1]}:  # each reaction of theirs
            knowledge.remove_endorsement(
                session=session, snippet=snippet, user_id=user_id, emoji=emoji
            )
        endorse(
            client,
            session,
            community=community,
            snippet=snippet,
            user_id=user_id,
            emoji=named[1],
            add=False,
        )
        what = escape(truncate(title_of(snippet.title, snippet.text), 80))
    text = (
        f"Undone: your reaction no longer counts for “{what}”. Slack keeps it on the message; "
        "take it off there too if you like."
    )
    respond(replace_original=True, response_type="ephemeral", text=text)
