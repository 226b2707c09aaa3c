"""Knowledge waiting for confirmation, as facilitators see it in /cop pending and its buttons."""

from __future__ import annotations

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.kit import Message, section
from bot.blocks.settings import PendingItem, pending_buttons, pending_note, render_pending
from bot.lookups import display_names
from handlers.shared.notify import tell_privately
from handlers.shared.privacy import visible_to
from scheduler.periods import local_day_start
from storage import communities, knowledge
from storage.clock import utcnow
from storage.models import Community, Snippet
from storage.models.knowledge import SOURCE_REACTION, STATUS_PENDING


def pending_message(
    client: WebClient, session: Session, community: Community, *, viewer: str, note: str = ""
) -> Message:
    """The pending queue of a community, ready to show to the facilitator `viewer` (after
    `note`, what they just did, in mrkdwn): a private channel's knowledge only if they are
    in that channel."""
    assert community.id is not None
    waiting = visible_to(
        client,
        session,
        team_id=community.team_id,
        user_id=viewer,
        items=knowledge.pending_snippets(session=session, community_id=community.id),
    )
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


def waits_for_facilitator(community: Community, snippet: Snippet) -> bool:
    """Whether a snippet waits for a facilitator's Confirm (not for more reactions)."""
    if snippet.status != STATUS_PENDING or not community.require_confirmation:
        return False
    return snippet.source != SOURCE_REACTION or (
        snippet.endorsements >= max(1, community.reactions_required)
    )


def tell_facilitators(
    client: WebClient, session: Session, *, community: Community, snippet: Snippet
) -> None:
    """Knowledge now waits for a facilitator: each facilitator hears of it privately, at
    most once a day (their day in the community's timezone), unless they muted copbot."""
    if community.id is None or not waits_for_facilitator(community, snippet):
        return
    now = utcnow()
    told = communities.facilitators_to_note(
        session=session,
        community_id=community.id,
        since=local_day_start(community.timezone, now),
        now=now,
    )
    if not told:
        return
    home = communities.home_channel(session=session, community_id=community.id)
    waiting = sum(
        waits_for_facilitator(community, s)
        for s in knowledge.pending_snippets(session=session, community_id=community.id)
    )
    text = pending_note(
        community_name=community.name,
        title=None if snippet.is_private else snippet.title or snippet.text,
        waiting=waiting,
        channel_id=home.channel_id if home else "",
    )
    # the newest one can be settled right there (a private channel's only in /cop pending,
    # where who may see it is checked)
    blocks = None if snippet.is_private else [section(text), pending_buttons(snippet.id or 0)]
    for user_id in told:
        tell_privately(
            client, session, team_id=community.team_id, user_id=user_id, text=text, blocks=blocks
        )
