"""Messages as copbot reads them: from its cache first, from Slack when it must, one shape."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.message_text import message_markup
from storage import messages

# Plain messages by people; joins, topic changes, bot posts and the like are not knowledge.
KNOWLEDGE_SUBTYPES = frozenset({"", "thread_broadcast", "file_share", "me_message"})
# What Slack leaves of a deleted thread root that has replies ("This message was deleted.").
TOMBSTONE = "tombstone"
MAX_THREAD_REPLIES = 200


@dataclass(frozen=True)
class SlackMessage:
    """The parts of a Slack message copbot uses."""

    ts: str
    user: str
    text: str
    thread_ts: str | None = None
    reply_count: int = 0
    subtype: str = ""
    bot_id: str | None = None

    @classmethod
    def from_slack(cls, message: dict[str, Any]) -> SlackMessage:
        """The message as Slack sends it (an event, a shortcut's message, history); its text
        is read from `text`, `blocks` and shared messages' `attachments`."""
        return cls(
            ts=str(message.get("ts", "")),
            user=str(message.get("user") or ""),
            text=message_markup(message),
            thread_ts=message.get("thread_ts"),
            reply_count=int(message.get("reply_count") or 0),
            subtype=str(message.get("subtype") or ""),
            bot_id=message.get("bot_id"),
        )

    @property
    def is_knowledge(self) -> bool:
        return (
            self.subtype in KNOWLEDGE_SUBTYPES
            and not self.bot_id
            and bool(self.user)
            and bool(self.text.strip())
        )

    @property
    def is_tombstone(self) -> bool:
        return self.subtype == TOMBSTONE

    @property
    def is_reply(self) -> bool:
        return bool(self.thread_ts) and self.thread_ts != self.ts


def remember(session: Session, team_id: str, channel_id: str, message: SlackMessage) -> None:
    """Put a message in the cache so nothing needs to fetch it again."""
    if message.is_knowledge:
        messages.cache_message(
            session=session,
            team_id=team_id,
            channel_id=channel_id,
            ts=message.ts,
            user_id=message.user,
            text=message.text,
            thread_ts=message.thread_ts,
        )


def fetch_message(
    client: WebClient, session: Session, *, team_id: str, channel_id: str, ts: str
) -> SlackMessage | None:
    """A message from the cache, else from Slack (history, then replies for thread replies).

    Non-Marketplace apps get about one history call a minute, so the cache comes first.
    """
    cached = messages.cached_message(session=session, team_id=team_id, channel_id=channel_id, ts=ts)
    if cached is not None:
        return SlackMessage(cached.ts, cached.user_id, cached.text, cached.thread_ts)
    try:
        found = (
            client.conversations_history(
                channel=channel_id, latest=ts, inclusive=True, limit=1
            ).get("messages")
            or []
        )
        match = [m for m in found if m.get("ts") == ts]
        if not match:
            thread = client.conversations_replies(channel=channel_id, ts=ts).get("messages") or []
            match = [m for m in thread if m.get("ts") == ts]
    except SlackApiError as exc:
        if exc.response.get("error") in ("channel_not_found", "not_in_channel", "thread_not_found"):
            return None
        raise
    if not match:
        return None
    message = SlackMessage.from_slack(match[0])
    remember(session, team_id, channel_id, message)
    return message


def thread_replies(
    client: WebClient,
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    root: SlackMessage,
    forgotten: Collection[str] = (),
) -> list[SlackMessage]:
    """The replies of a thread root, from the cache when it holds them all, else from Slack.

    Replies whose ts is in `forgotten` (their authors asked to be forgotten) are not cached
    again when Slack sends them.
    """
    cached = [
        SlackMessage(m.ts, m.user_id, m.text, m.thread_ts)
        for m in messages.thread_replies(
            session=session, team_id=team_id, channel_id=channel_id, thread_ts=root.ts
        )
    ]
    if root.reply_count <= len(cached):
        return cached
    try:
        found = (
            client.conversations_replies(
                channel=channel_id, ts=root.ts, limit=MAX_THREAD_REPLIES
            ).get("messages")
            or []
        )
    except SlackApiError as exc:
        if exc.response.get("error") in ("channel_not_found", "not_in_channel", "thread_not_found"):
            return cached
        raise
    replies = [SlackMessage.from_slack(m) for m in found if m.get("ts") != root.ts]
    for reply in replies:
        if reply.ts not in forgotten:
            remember(session, team_id, channel_id, reply)
    return [r for r in replies if r.is_knowledge]
