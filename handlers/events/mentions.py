"""@copbot what do we know about X? — answered in thread with the top results."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.blocks.knowledge import render_mention_answer
from bot.lookups import post_message, workspace_of
from handlers.shared.search import find, parse_query, to_hits
from storage import db
from storage.search import search_terms

MENTION_RESULTS = 3
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_FILLER = re.compile(
    r"^\s*(?:hey|hi|hello|please|pls)?[\s,]*"
    r"(?:what\s+do\s+(?:we|you|people)\s+know\s+(?:about|on|of)|what(?:'s|\s+is)\s+known\s+about|"
    r"tell\s+me\s+about|do\s+we\s+know\s+(?:anything\s+)?about|anything\s+(?:about|on)|"
    r"search(?:\s+for)?|find|look\s+up)?\s*",
    re.IGNORECASE,
)


def question_of(text: str) -> str:
    """The topic of a mention: "<@UCOPBOT> what do we know about pytest?" → "pytest"."""
    text = _MENTION.sub(" ", text)
    text = _FILLER.sub("", " ".join(text.split()), count=1)
    return text.strip(" ?!.")


def app_mention(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Answer in thread; private knowledge only from this very channel (everyone here sees it)."""
    team_id = workspace_of(context)
    channel_id = event.get("channel") or ""
    question = question_of(event.get("text") or "")
    query = parse_query(question)
    hits = []
    if not query.empty:
        with db.session() as session:
            page = find(
                session,
                team_id=team_id,
                query=query,
                private_channel_ids=[channel_id],
                limit=MENTION_RESULTS,
            )
            hits = to_hits(client, session, team_id, page)
    answer = render_mention_answer(query=question, hits=hits, terms=search_terms(query.text))
    post_message(
        client,
        channel_id,
        thread_ts=event.get("thread_ts") or event.get("ts"),
        unfurl_links=False,
        **answer.as_kwargs(),
    )
