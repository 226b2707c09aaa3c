"""Reactions: a knowledge emoji captures a message, a kudos emoji thanks its author.

Removing the reaction undoes exactly what adding it did.
"""

from __future__ import annotations

from dataclasses import dataclass
from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.knowledge import endorsement_note
from bot.inbox import handed_in_again
from bot.lookups import workspace_of
from bot.private import tell
from handlers.shared.knowledge import confirmation_note, endorse, new_snippet, pending_reason
from handlers.shared.kudos import thank_by_reaction, unthank_by_reaction
from handlers.shared.messages import fetch_message
from handlers.shared.questions import ANSWERED_EMOJI, answered_by_reaction
from storage import communities, db, knowledge
from storage.models import Community
from storage.models.knowledge import SOURCE_REACTION, STATUS_WITHDRAWN


@dataclass(frozen=True)
class Reaction:
    """Who reacted with what on which message of a community channel."""

    community: Community
    channel_id: str
    ts: str
    user_id: str
    emoji: str
    item_user: str


NOT_KNOWLEDGE = (
    ":information_source: Only messages people write become knowledge, not posts by copbot "
    "or other apps, nor join notices. React to the message itself, or save what you know "
    "with `/cop share`."
)


def reaction_name(event: dict[str, Any]) -> str:
    # Skin tones arrive as "+1::skin-tone-2"; the base name is what communities configure.
    return str(event.get("reaction") or "").split("::", 1)[0]


def _reaction(session: Session, event: dict[str, Any], context: BoltContext) -> Reaction | None:
    """The reaction, if it is on a message in a community channel (DMs never count)."""
    item = event.get("item") or {}
    channel_id, ts = item.get("channel") or "", item.get("ts") or ""
    user_id = event.get("user") or ""
    if item.get("type") != "message" or not (channel_id and ts and user_id):
        return None
    if channel_id.startswith("D"):
        return None
    community = communities.community_for_channel(
        session=session,
        team_id=workspace_of(context),
        channel_id=channel_id,
    )
    if community is None:
        return None
    return Reaction(
        community, channel_id, ts, user_id, reaction_name(event), event.get("item_user") or ""
    )


def reaction_added(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """A knowledge emoji captures or endorses the message; a kudos emoji thanks its author;
    ✅ from a question's asker (or a facilitator) says it was answered."""
    with db.session() as session:
        reaction = _reaction(session, event, context)
        if reaction is None:
            return
        if reaction.emoji in reaction.community.knowledge_emojis:
            _capture(session, client, reaction, logger, redone=handed_in_again(context))
        elif reaction.emoji in reaction.community.kudos_emojis:
            thank_by_reaction(
                client,
                session,
                community=reaction.community,
                channel_id=reaction.channel_id,
                ts=reaction.ts,
                giver_id=reaction.user_id,
                item_user=reaction.item_user,
                bot_user_id=context.bot_user_id or "",
            )
        elif reaction.emoji == ANSWERED_EMOJI:
            answered_by_reaction(
                client,
                session,
                community=reaction.community,
                channel_id=reaction.channel_id,
                ts=reaction.ts,
                user_id=reaction.user_id,
            )


def _capture(
    session: Session, client: WebClient, reaction: Reaction, logger: Logger, *, redone: bool
) -> None:
    community, channel_id, ts = reaction.community, reaction.channel_id, reaction.ts
    team_id = community.team_id
    snippet = knowledge.get_snippet(
        session=session, team_id=team_id, channel_id=channel_id, message_ts=ts
    )
    created = False
    if snippet is None:
        message = fetch_message(client, session, team_id=team_id, channel_id=channel_id, ts=ts)
        if message is None or not message.is_knowledge:
            logger.info("reaction on %s/%s: not a message people wrote; ignored", channel_id, ts)
            if message is not None and not redone:  # a person reacted: they hear why not
                tell(client, channel_id=channel_id, user_id=reaction.user_id, text=NOT_KNOWLEDGE)
            return
        new = new_snippet(
            client,
            session,
            team_id=team_id,
            channel_id=channel_id,
            message=message,
            curator_id=reaction.user_id,
            source=SOURCE_REACTION,
        )
        snippet, created = knowledge.capture_snippet(session=session, community=community, new=new)
    before = snippet.endorsements
    snippet = endorse(
        client,
        session,
        community=community,
        snippet=snippet,
        user_id=reaction.user_id,
        emoji=reaction.emoji,
    )
    # handled again after a crash: the first handling may have captured it and died before
    # telling its curator, who is told now
    mine = redone and snippet.curator_id == reaction.user_id and snippet.source == SOURCE_REACTION
    if created or mine:
        note = confirmation_note(community, snippet)
        tell(client, channel_id=channel_id, user_id=reaction.user_id, text=note)
    elif snippet.endorsements > before and snippet.status != STATUS_WITHDRAWN:
        # a later reactor whose reaction counted: told so, privately, with an Undo
        endorsed = endorsement_note(
            title=snippet.title,
            status=snippet.status,
            endorsements=snippet.endorsements,
            needed=pending_reason(community, snippet),
            snippet_id=snippet.id or 0,
            emoji=reaction.emoji,
        )
        tell(
            client,
            channel_id=channel_id,
            user_id=reaction.user_id,
            text=endorsed.text,
            blocks=endorsed.blocks,
        )


def reaction_removed(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """Taking a reaction back removes that endorsement or that kudos."""
    with db.session() as session:
        reaction = _reaction(session, event, context)
        if reaction is None:
            return
        community = reaction.community
        if reaction.emoji in community.kudos_emojis:
            unthank_by_reaction(
                session,
                community=community,
                channel_id=reaction.channel_id,
                ts=reaction.ts,
                giver_id=reaction.user_id,
            )
            return
        if reaction.emoji not in community.knowledge_emojis:
            return
        snippet = knowledge.get_snippet(
            session=session,
            team_id=community.team_id,
            channel_id=reaction.channel_id,
            message_ts=reaction.ts,
        )
        if snippet is None:
            return
        snippet = endorse(
            client,
            session,
            community=community,
            snippet=snippet,
            user_id=reaction.user_id,
            emoji=reaction.emoji,
            add=False,
        )
        logger.info(
            "snippet %s now %s with %s endorsements",
            snippet.id,
            snippet.status,
            snippet.endorsements,
        )
