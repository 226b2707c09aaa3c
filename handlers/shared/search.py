"""Searching knowledge for a person (privacy applied) and turning results into Hits."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.kit import Message
from bot.blocks.knowledge import PAGE_SIZE, Hit, render_search_results
from bot.lookups import display_names
from bot.text import normalise_tags, user_mentions
from handlers.shared.privacy import visible_private_channels
from storage.markup import mentioned_users, visible, with_names
from storage.search import SearchPage, popular_tags, search_snippets, search_terms

_TAG = re.compile(r"(?<![\w&<])#([^\s#]+)")
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    tags: list[str]
    author_ids: list[str]

    @property
    def empty(self) -> bool:
        return not (search_terms(self.text) or self.tags or self.author_ids)


def parse_query(raw: str) -> ParsedQuery:
    """Split "fixtures #testing @bob" (markup) into the words as read, tags and authors."""
    tags = normalise_tags(_TAG.findall(raw))
    authors = user_mentions(raw)
    text = visible(_MENTION.sub(" ", _TAG.sub(" ", raw)))
    return ParsedQuery(text=" ".join(text.split()), tags=tags, author_ids=authors)


def to_hits(client: WebClient, session: Session, team_id: str, page: SearchPage) -> list[Hit]:
    """Search results ready to show: authors, and people mentioned in them, by name."""
    people = [s.author_id for s in page.snippets]
    for snippet in page.snippets:
        people += mentioned_users(snippet.title) + mentioned_users(snippet.text)
    names = display_names(client, session, team_id=team_id, user_ids=people)
    return [
        Hit(
            title=with_names(s.title, names),
            text=with_names(s.text, names),
            permalink=s.permalink,
            author_name=names.get(s.author_id, "someone"),
            tags=page.tags.get(s.id or 0, []),
            endorsements=s.endorsements,
            channel_id=s.channel_id,
            created_at=s.created_at,
        )
        for s in page.snippets
    ]


def find(
    session: Session,
    *,
    team_id: str,
    query: ParsedQuery,
    private_channel_ids: Collection[str],
    limit: int,
    offset: int = 0,
) -> SearchPage:
    return search_snippets(
        session=session,
        team_id=team_id,
        query=query.text,
        tags=query.tags,
        author_ids=query.author_ids,
        private_channel_ids=private_channel_ids,
        limit=limit,
        offset=offset,
    )


def search_message(
    client: WebClient, session: Session, *, team_id: str, user_id: str, raw: str, offset: int = 0
) -> Message:
    """One page of `/cop search` results for `user_id` (private knowledge of their channels too)."""
    query = parse_query(raw)
    private = visible_private_channels(client, session, team_id=team_id, user_id=user_id)
    page = find(
        session,
        team_id=team_id,
        query=query,
        private_channel_ids=private,
        limit=PAGE_SIZE,
        offset=offset,
    )
    hits = to_hits(client, session, team_id, page)
    suggestions = [] if hits else popular_tags(session=session, team_id=team_id)
    searched = display_names(client, session, team_id=team_id, user_ids=query.author_ids)
    return render_search_results(
        query=with_names(raw, searched),
        hits=hits,
        terms=search_terms(query.text),
        offset=offset,
        has_more=page.has_more,
        total=page.total,
        total_capped=page.total_capped,
        suggestions=suggestions,
    )
