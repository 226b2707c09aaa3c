"""Knowledge waiting for confirmation, as facilitators see it in /cop pending and its buttons."""

from __future__ import annotations

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.kit import Message
from bot.blocks.settings import PendingItem, render_pending
from bot.lookups import display_names
from storage import knowledge
from storage.models import Community


def pending_message(
    client: WebClient, session: Session, community: Community, *, note: str = ""
) -> Message:
    """The pending queue of a community, ready to show to a facilitator (after `note`, what
    they just did, in mrkdwn)."""
    assert community.id is not None
    waiting = knowledge.pending_snippets(session=session, community_id=community.id)
    names = display_names(
        client, session, team_id=community.team_id, user_ids=[s.author_id for s in waiting]
    )
    items = [
        PendingItem(
            snippet_id=s.id or 0,
            title=s.title,
            text=s.text,
            author_name=names.get(s.author_id, "someone"),
            endorsements=s.endorsements,
            channel_id=s.channel_id,
            permalink=s.permalink,
        )
        for s in waiting
    ]
    return render_pending(name=community.name, items=items, note=note)
