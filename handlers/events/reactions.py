"""Reactions: a knowledge emoji captures a message as a snippet; removing it undoes exactly that."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlmodel import Session

from handlers.flows.knowledge import confirmation_note, endorse, fetch_message, new_snippet
from handlers.lookups import tell
from storage import communities, db, knowledge
from storage.models import Community
from storage.models.knowledge import SOURCE_REACTION


def reaction_name(event: dict[str, Any]) -> str:
    # Skin tones arrive as "+1::skin-tone-2"; the base name is what communities configure.
    return str(event.get("reaction") or "").split("::", 1)[0]


def _target(event: dict[str, Any], context: BoltContext) -> tuple[str, str, str] | None:
    item = event.get("item") or {}
    channel_id, ts = item.get("channel") or "", item.get("ts") or ""
    if item.get("type") != "message" or not channel_id or not ts or channel_id.startswith("D"):
        return None
    return event.get("team") or context.team_id or "", channel_id, ts


def _community(session: Session, team_id: str, channel_id: str) -> Community | None:
    return communities.community_for_channel(
        session=session, team_id=team_id, channel_id=channel_id
    )


def reaction_added(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """A knowledge emoji on a community channel message captures or endorses it."""
    target = _target(event, context)
    if target is None:
        return
    team_id, channel_id, ts = target
    emoji, reactor = reaction_name(event), event.get("user") or ""
    with db.session() as session:
        community = _community(session, team_id, channel_id)
        if community is None or emoji not in community.knowledge_emojis or not reactor:
            return
        snippet = knowledge.get_snippet(
            session=session, team_id=team_id, channel_id=channel_id, message_ts=ts
        )
        created = False
        if snippet is None:
            message = fetch_message(client, session, team_id=team_id, channel_id=channel_id, ts=ts)
            if message is None or not message.is_knowledge:
                logger.info(
                    "reaction on %s/%s: not a message people wrote; ignored", channel_id, ts
                )
                return
            new = new_snippet(
                client,
                session,
                team_id=team_id,
                channel_id=channel_id,
                message=message,
                curator_id=reactor,
                source=SOURCE_REACTION,
            )
            snippet, created = knowledge.capture_snippet(
                session=session, community=community, new=new
            )
        snippet = endorse(
            client, session, community=community, snippet=snippet, user_id=reactor, emoji=emoji
        )
        if created:
            note = confirmation_note(community, snippet)
            tell(client, channel_id=channel_id, user_id=reactor, text=note)


def reaction_removed(
    event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger
) -> None:
    """Taking a knowledge reaction back removes that endorsement (and the snippet, if the last)."""
    target = _target(event, context)
    if target is None:
        return
    team_id, channel_id, ts = target
    emoji, reactor = reaction_name(event), event.get("user") or ""
    with db.session() as session:
        community = _community(session, team_id, channel_id)
        if community is None or emoji not in community.knowledge_emojis:
            return
        snippet = knowledge.get_snippet(
            session=session, team_id=team_id, channel_id=channel_id, message_ts=ts
        )
        if snippet is None:
            return
        snippet = endorse(
            client,
            session,
            community=community,
            snippet=snippet,
            user_id=reactor,
            emoji=emoji,
            add=False,
        )
        logger.info(
            "snippet %s now %s with %s endorsements",
            snippet.id,
            snippet.status,
            snippet.endorsements,
        )
