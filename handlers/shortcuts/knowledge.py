""" "Save to community knowledge" (message shortcut) and "Share knowledge" (global shortcut)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.knowledge import no_community_modal, save_modal
from bot.errors import CopError
from bot.lookups import named, team_of
from bot.text import hashtags
from handlers.shared.knowledge import auto_title
from handlers.shared.messages import SlackMessage, remember
from handlers.shared.saving import save_target, share_form
from storage import db

NOT_PEOPLE = (
    "copbot keeps what people write. This message came from an app or is a channel notice, "
    "so it can't be saved as knowledge."
)


def save_knowledge_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Open the save modal for the message (or explain why it cannot be saved)."""
    ack()
    team_id = team_of(context, shortcut)
    user_id = shortcut["user"]["id"]
    channel_id = (shortcut.get("channel") or {}).get("id", "")
    message = SlackMessage.from_slack(shortcut.get("message") or {})
    trigger_id = shortcut["trigger_id"]
    if not message.is_knowledge:
        client.views_open(trigger_id=trigger_id, view=no_community_modal(NOT_PEOPLE))
        return
    with db.session() as session:
        try:  # where it may go, from Slack's own facts about the channel
            target = save_target(
                client, session, team_id=team_id, user_id=user_id, channel_id=channel_id
            )
        except CopError as refusal:
            client.views_open(trigger_id=trigger_id, view=no_community_modal(refusal.reason))
            return
        home = target.home
        # the submission reads the message back from the cache rather than from Slack
        remember(session, team_id, channel_id, message)
        title = auto_title(client, session, team_id=team_id, text=message.text)
        excerpt = named(client, session, team_id=team_id, text=message.text)
    view = save_modal(
        metadata={"channel": channel_id, "ts": message.ts, "community": home.id if home else None},
        title=title,
        tags=hashtags(message.text),
        excerpt_text=excerpt,
        communities=[(c.id or 0, c.name) for c in target.choices],
        fixed_community=home.name if home else None,
    )
    client.views_open(trigger_id=trigger_id, view=view)


def share_knowledge_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Open the share modal with the caller's communities."""
    ack()
    with db.session() as session:
        view = share_form(
            session, team_id=team_of(context, shortcut), user_id=shortcut["user"]["id"]
        )
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)
