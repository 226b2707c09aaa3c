"""Submissions of the "Save knowledge" and "Share knowledge" modals."""

from __future__ import annotations

import json
from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.knowledge import (
    COMMUNITY_ACTION,
    COMMUNITY_BLOCK,
    TAGS_ACTION,
    TAGS_BLOCK,
    TEXT_ACTION,
    TEXT_BLOCK,
    TITLE_ACTION,
    TITLE_BLOCK,
)
from bot.errors import CopError
from bot.inbox import handed_in_again, request_token
from bot.lookups import team_of
from bot.private import tell
from bot.text import hashtags, normalise_tags
from handlers.shared.forms import (
    field_error,
    metadata,
    selected_value,
    small_number,
    text_value,
)
from handlers.shared.knowledge import confirmation_note, new_snippet, recorded_by, share_knowledge
from handlers.shared.messages import fetch_message
from handlers.shared.saving import save_target
from storage import communities, db, knowledge
from storage.markup import from_typed
from storage.models import Community
from storage.models.knowledge import SOURCE_SHORTCUT

STALE_FORM = "This form no longer says which message to save: open Save to knowledge again."


def form_value(view: dict[str, Any], block: str, action: str) -> str:
    """A text input's value, or a select's chosen option value ("" when empty)."""
    return selected_value(view, block, action) or text_value(view, block, action)


def _chosen_community(
    session: Session, team_id: str, user_id: str, community_id: object
) -> Community | None:
    """The community picked in a form, if it exists and the person belongs to it."""
    try:
        wanted = int(str(community_id))
    except ValueError:
        return None
    mine = communities.communities_of_user(session=session, team_id=team_id, user_id=user_id)
    return next((c for c in mine if c.id == wanted), None)


def save_knowledge_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
    """Save the shortcut's message (with the title and tags given) as a snippet."""
    team_id = team_of(context, body)
    user_id = body["user"]["id"]
    try:
        meta = json.loads(metadata(view) or "{}")
    except ValueError:
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    channel_id, ts = str(meta.get("channel") or ""), str(meta.get("ts") or "")
    if not (channel_id and ts):  # Slack hands back what copbot put there: this was altered
        ack(response_action="errors", errors={TITLE_BLOCK: STALE_FORM})
        return
    # a modal's inputs arrive raw: exactly what was typed
    title = from_typed(" ".join(form_value(view, TITLE_BLOCK, TITLE_ACTION).split()))
    tags = normalise_tags(form_value(view, TAGS_BLOCK, TAGS_ACTION))
    with db.session() as session:
        # Nothing in the form is trusted: where it may go is asked of Slack again, and the
        # community is the channel's own or one of the person's
        try:
            target = save_target(
                client, session, team_id=team_id, user_id=user_id, channel_id=channel_id
            )
        except CopError as refusal:
            ack(response_action="errors", errors={TITLE_BLOCK: field_error(refusal)})
            return
        community = target.home
        if community is None:
            picked = small_number(form_value(view, COMMUNITY_BLOCK, COMMUNITY_ACTION))
            community = next((c for c in target.choices if c.id == picked), None)
        if community is None:
            ack(response_action="errors", errors={COMMUNITY_BLOCK: "Pick one of your communities."})
            return
        ack()
        message = fetch_message(client, session, team_id=team_id, channel_id=channel_id, ts=ts)
        if message is None:
            tell(
                client,
                channel_id=channel_id,
                user_id=user_id,
                text="I can't read that message any more, so it wasn't saved.",
            )
            return
        snippet = knowledge.get_snippet(
            session=session, team_id=team_id, channel_id=channel_id, message_ts=ts
        )
        if snippet is None:
            new = new_snippet(
                client,
                session,
                team_id=team_id,
                channel_id=channel_id,
                message=message,
                curator_id=user_id,
                source=SOURCE_SHORTCUT,
                title=title,
                tags=tags,
            )
            snippet, _ = knowledge.capture_snippet(session=session, community=community, new=new)
        else:
            # saved before (by reaction, say): the title and tags given now improve it
            knowledge.update_snippet_text(
                session=session,
                snippet=snippet,
                text=snippet.text,
                title=title or snippet.title,
                tags=normalise_tags([*knowledge.tags_of(session=session, snippet=snippet), *tags]),
            )
            home = communities.get_community(
                session=session, team_id=team_id, community_id=snippet.community_id
            )
            community = home or community
        snippet = recorded_by(
            client, session, community=community, snippet=snippet, user_id=user_id
        )
        note = confirmation_note(community, snippet)
    tell(client, channel_id=channel_id, user_id=user_id, text=note)


def share_knowledge_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
    """Post the shared knowledge in the community's channel and record it."""
    team_id = team_of(context, body)
    user_id = body["user"]["id"]
    # a modal's inputs arrive raw: exactly what was typed
    text = from_typed(form_value(view, TEXT_BLOCK, TEXT_ACTION).strip())
    title = from_typed(" ".join(form_value(view, TITLE_BLOCK, TITLE_ACTION).split()))
    tags = normalise_tags(
        [*normalise_tags(form_value(view, TAGS_BLOCK, TAGS_ACTION)), *hashtags(text)]
    )
    with db.session() as session:
        community = _chosen_community(
            session, team_id, user_id, form_value(view, COMMUNITY_BLOCK, COMMUNITY_ACTION)
        )
        errors = {}
        if community is None:
            errors[COMMUNITY_BLOCK] = "Pick one of your communities."
        if not text:
            errors[TEXT_BLOCK] = "Write what you know first."
        if errors or community is None:
            ack(response_action="errors", errors=errors)
            return
        ack()
        assert community.id is not None
        channel = communities.home_channel(session=session, community_id=community.id)
        if channel is None:
            raise CopError(f"*{community.name}* has no channel any more, so nothing was shared.")
        snippet = share_knowledge(
            client,
            session,
            community=community,
            channel_id=channel.channel_id,
            is_private=channel.is_private,
            user_id=user_id,
            text=text,
            title=title,
            tags=tags,
            source=SOURCE_SHORTCUT,
            token=request_token(body),
            redone=handed_in_again(context),
        )
        note = confirmation_note(community, snippet)
    tell(client, channel_id=channel.channel_id, user_id=user_id, text=note)
