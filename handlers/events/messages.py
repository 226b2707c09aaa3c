"""Messages in community channels are cached as they arrive; edits and deletes reach snippets.

A snippet saved with the message shortcut can live in a channel that is no community, so an
edit or deletion there is applied when its message (or its thread) has a snippet.
"""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlmodel import Session

from bot.lookups import workspace_of
from handlers.shared.knowledge import auto_title, snippet_text
from handlers.shared.messages import SlackMessage, remember
from handlers.shared.questions import follow_message
from storage import communities, db, knowledge, messages, questions
from storage.models import Snippet
from storage.tags import edited_tags
from storage.threads import Reply, root_of


def message(event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger) -> None:
    """Every message event: new messages in community channels are cached; edits and deletions
    reach the cache and the message's snippet, wherever it was saved."""
    team_id = workspace_of(context)
    channel_id = event.get("channel") or ""
    subtype = event.get("subtype") or ""
    if channel_id.startswith("D") and subtype not in ("message_changed", "message_deleted"):
        return
    with db.session() as session:
        binding = (
            None
            if channel_id.startswith("D")
            else communities.channel_binding(
                session=session, team_id=team_id, channel_id=channel_id
            )
        )
        community = binding is not None
        if subtype == "message_changed":
            now = SlackMessage.from_slack(event.get("message") or {})
            if not (community or _has_snippet(session, team_id, channel_id, now)):
                return
            if now.is_tombstone:
                # A deleted thread root with replies stays as a tombstone: it is a deletion.
                _deleted(session, client, team_id, channel_id, now.ts, now, logger)
            else:
                _changed(session, client, team_id, channel_id, now, logger, cache=community)
        elif subtype == "message_deleted":
            ts = event.get("deleted_ts") or (event.get("previous_message") or {}).get("ts") or ""
            previous = SlackMessage.from_slack(event.get("previous_message") or {"ts": ts})
            if community or _has_snippet(session, team_id, channel_id, previous, ts):
                _deleted(session, client, team_id, channel_id, ts, previous, logger)
        elif binding is not None:
            new = SlackMessage.from_slack(event)
            remember(session, team_id, channel_id, new)
            follow_message(client, session, binding=binding, message=new)


def _has_snippet(
    session: Session, team_id: str, channel_id: str, message: SlackMessage, ts: str = ""
) -> bool:
    """Whether the message, or the thread it is a reply in, was saved as a snippet (outside
    community channels, only saved messages matter)."""
    candidates = [ts or message.ts, (message.thread_ts or "") if message.is_reply else ""]
    return any(
        knowledge.get_snippet(session=session, team_id=team_id, channel_id=channel_id, message_ts=t)
        is not None
        for t in dict.fromkeys(candidates)
        if t
    )


def _changed(
    session: Session,
    client: WebClient,
    team_id: str,
    channel_id: str,
    edited: SlackMessage,
    logger: Logger,
    *,
    cache: bool,
) -> None:
    if not edited.ts:
        return
    cached = messages.edit_cached_message(
        session=session, team_id=team_id, channel_id=channel_id, ts=edited.ts, text=edited.text
    )
    questions.update_question_text(  # a question reads as its message does now
        session=session,
        team_id=team_id,
        channel_id=channel_id,
        message_ts=edited.ts,
        text=edited.text,
    )
    if cached is None and cache:
        remember(session, team_id, channel_id, edited)
    # the message's own snippet, and the snippet of the thread it is a reply in
    _refresh_text(session, client, team_id, channel_id, edited.ts, edited, logger)
    if edited.is_reply:
        _refresh_text(session, client, team_id, channel_id, edited.thread_ts, edited, logger)


def _deleted(
    session: Session,
    client: WebClient,
    team_id: str,
    channel_id: str,
    ts: str,
    previous: SlackMessage,
    logger: Logger,
) -> None:
    messages.delete_cached_message(session=session, team_id=team_id, channel_id=channel_id, ts=ts)
    questions.forget_question(
        session=session, team_id=team_id, channel_id=channel_id, message_ts=ts
    )
    snippet = knowledge.get_snippet(
        session=session, team_id=team_id, channel_id=channel_id, message_ts=ts
    )
    if snippet is not None:
        if snippet.deleted_at is None:
            knowledge.withdraw_snippet(session=session, snippet=snippet)
            logger.info("snippet %s withdrawn: its message was deleted", snippet.id)
    elif previous.is_reply and previous.thread_ts:
        # a reply of a captured thread went away: the thread snippet loses it
        _refresh_text(session, client, team_id, channel_id, previous.thread_ts, None, logger)


def _refresh_text(
    session: Session,
    client: WebClient,
    team_id: str,
    channel_id: str,
    root_ts: str | None,
    edited: SlackMessage | None,
    logger: Logger,
) -> None:
    """Rebuild the text of the snippet captured from `root_ts` (a message or a thread root)."""
    if not root_ts:
        return
    snippet = knowledge.get_snippet(
        session=session, team_id=team_id, channel_id=channel_id, message_ts=root_ts
    )
    if snippet is None or snippet.deleted_at is not None:
        return
    lines = knowledge.replies_of(session=session, snippet=snippet)
    root = _root_message(session, team_id, channel_id, snippet, lines, edited)
    forgotten = [r.ts for r in lines if r.removed and r.ts]
    new = snippet_text(
        client, session, team_id=team_id, channel_id=channel_id, message=root, forgotten=forgotten
    )
    if new.text == snippet.text:
        if list(new.replies) != lines:  # the same text, now with who wrote each line
            knowledge.set_replies(session=session, snippet=snippet, replies=new.replies)
        return
    old_root = root_of(snippet.text, lines)
    titled = snippet.title == auto_title(client, session, team_id=team_id, text=old_root)
    knowledge.update_snippet_text(
        session=session,
        snippet=snippet,
        text=new.text,
        title=auto_title(client, session, team_id=team_id, text=root.text)
        if titled
        else snippet.title,
        tags=edited_tags(
            knowledge.tags_of(session=session, snippet=snippet), snippet.text, new.text
        ),
        replies=new.replies,
    )
    logger.info("snippet %s follows an edit", snippet.id)


def _root_message(
    session: Session,
    team_id: str,
    channel_id: str,
    snippet: Snippet,
    lines: list[Reply],
    edited: SlackMessage | None,
) -> SlackMessage:
    if edited is not None and edited.ts == snippet.message_ts:
        return edited
    cached = messages.cached_message(
        session=session, team_id=team_id, channel_id=channel_id, ts=snippet.message_ts
    )
    if cached is not None:
        return SlackMessage(cached.ts, cached.user_id, cached.text, cached.thread_ts)
    # the root is no longer cached: keep the text captured for it
    return SlackMessage(snippet.message_ts, snippet.author_id, root_of(snippet.text, lines))
