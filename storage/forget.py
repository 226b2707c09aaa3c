"""Forgetting a person: everything copbot stored about them, on request (/cop forget me)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from storage.knowledge import refresh_snippet
from storage.models import (
    ChannelMessage,
    Community,
    Endorsement,
    Kudos,
    Member,
    Snippet,
    SnippetTag,
    UserProfile,
)
from storage.search import unindex_snippets


@dataclass(frozen=True)
class Forgotten:
    snippets: int
    endorsements: int
    kudos: int
    memberships: int
    messages: int


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def forget_user(*, session: Session, team_id: str, user_id: str) -> Forgotten:
    """Delete a person's snippets, endorsements, kudos (given and received), memberships,
    cached messages and profile; knowledge they only curated stays, credited to its author.

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        user_id: who asked to be forgotten.
    """
    authored = list(
        session.exec(
            select(Snippet.id).where(Snippet.team_id == team_id, Snippet.author_id == user_id)
        )
    )
    ids = [i for i in authored if i is not None]
    unindex_snippets(session=session, snippet_ids=ids)
    session.execute(delete(Endorsement).where(col(Endorsement.snippet_id).in_(ids)))
    session.execute(delete(SnippetTag).where(col(SnippetTag.snippet_id).in_(ids)))
    snippets = _count(session.execute(delete(Snippet).where(col(Snippet.id).in_(ids))))
    endorsed = list(
        session.exec(
            select(Endorsement.snippet_id).where(
                Endorsement.team_id == team_id, Endorsement.user_id == user_id
            )
        )
    )
    endorsements = _count(
        session.execute(
            delete(Endorsement).where(
                col(Endorsement.team_id) == team_id, col(Endorsement.user_id) == user_id
            )
        )
    )
    session.execute(
        update(Snippet)
        .where(col(Snippet.team_id) == team_id, col(Snippet.curator_id) == user_id)
        .values(curator_id=Snippet.author_id)
    )
    kudos = _count(
        session.execute(
            delete(Kudos).where(
                col(Kudos.team_id) == team_id,
                (col(Kudos.giver_id) == user_id) | (col(Kudos.receiver_id) == user_id),
            )
        )
    )
    memberships = _count(
        session.execute(
            delete(Member).where(col(Member.team_id) == team_id, col(Member.user_id) == user_id)
        )
    )
    messages = _count(
        session.execute(
            delete(ChannelMessage).where(
                col(ChannelMessage.team_id) == team_id, col(ChannelMessage.user_id) == user_id
            )
        )
    )
    session.execute(
        delete(UserProfile).where(
            col(UserProfile.team_id) == team_id, col(UserProfile.user_id) == user_id
        )
    )
    session.commit()
    # their endorsements no longer count: recompute what they had endorsed
    for snippet_id in set(endorsed):
        snippet = session.get(Snippet, snippet_id)
        community = session.get(Community, snippet.community_id) if snippet else None
        if snippet is not None and community is not None:
            refresh_snippet(session=session, snippet=snippet, community=community)
    return Forgotten(snippets, endorsements, kudos, memberships, messages)
