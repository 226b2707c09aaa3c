"""Shared knowledge and kudos whose post Slack made but never confirmed, pointed at the post.

`/cop share` and `/cop kudos` record first (with a PENDING_POST ts) and post second. When
Slack's answer is lost, or the database fails just after the post, the record keeps the
placeholder: the snippet has no link, edits of the post do not reach it, and forget me
cannot take the thanks down. Each such post carries message metadata naming its record; this
job (every REPAIR_MINUTES, beside the tick) finds the post in the channel and records its ts.
A record whose post is not found within a day stays as it is (the post was never made).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackClientError

from bot.lookups import find_own_post, permalink
from scheduler.clients import ClientFor
from storage import db, knowledge, kudos
from storage.models.base import KUDOS_EVENT, SHARED_KNOWLEDGE_EVENT

log = logging.getLogger("copbot.repair")

REPAIR_MINUTES = 10
SETTLE = timedelta(minutes=2)  # the sharer's own attempt may still be finishing
GIVE_UP = timedelta(days=1)
LOOK_BACK = timedelta(minutes=5)


def repair_unconfirmed_posts(client_for: ClientFor, *, now: datetime) -> int:
    """Point every record whose post was made but not recorded at it; returns how many."""
    with db.session() as session:
        snippets = knowledge.unplaced_snippets(
            session=session, since=now - GIVE_UP, until=now - SETTLE
        )
        thanks = kudos.unplaced_kudos(session=session, since=now - GIVE_UP, until=now - SETTLE)
    placed = 0
    for snippet in snippets:
        client = client_for(snippet.team_id)
        try:
            found = find_own_post(
                client,
                snippet.channel_id,
                since=snippet.created_at - LOOK_BACK,
                event_type=SHARED_KNOWLEDGE_EVENT,
                payload={"snippet": snippet.id},
            )
            if found is None:
                continue
            link = permalink(client, snippet.channel_id, str(found["ts"]))
        except (SlackClientError, OSError) as exc:
            log.warning("snippet %s not repaired: %s", snippet.id, type(exc).__name__)
            continue
        with db.session() as session:
            knowledge.place_snippet(
                session=session,
                snippet=session.merge(snippet),
                message_ts=str(found["ts"]),
                permalink=link,
            )
        placed += 1
    for post in thanks:
        try:
            found = find_own_post(
                client_for(post.team_id),
                post.channel_id,
                since=post.created_at - LOOK_BACK,
                event_type=KUDOS_EVENT,
                payload={"pending": post.pending},
            )
        except (SlackClientError, OSError) as exc:
            log.warning("kudos %s not repaired: %s", post.pending, type(exc).__name__)
            continue
        if found is None:
            continue
        with db.session() as session:
            kudos.move_kudos(
                session=session,
                team_id=post.team_id,
                channel_id=post.channel_id,
                from_ts=post.pending,
                to_ts=str(found["ts"]),
            )
        placed += 1
    if placed:
        log.info("pointed %s records at their posts", placed)
    return placed
