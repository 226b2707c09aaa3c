"""Forgetting a person: everything copbot stored about them, on request (/cop forget me)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from storage.knowledge import (
    delete_snippets,
    refresh_snippet,
    replies_of,
    tags_of,
    update_snippet_text,
)
from storage.models import (
    ChannelMessage,
    Community,
    Endorsement,
    Kudos,
    Member,
    Question,
    Snippet,
    SnippetReply,
    UserProfile,
)
from storage.models.base import PENDING_POST
from storage.models.knowledge import SOURCE_COMMAND, SOURCE_SHORTCUT
from storage.models.kudos import KUDOS_COMMAND
from storage.tags import edited_tags
from storage.threads import compose_thread, removed, root_of


@dataclass(frozen=True)
class Forgotten:
    snippets: int
    endorsements: int
    kudos: int
    memberships: int
    messages: int
    # their replies taken out of threads other people's snippets keep
    replies: int = 0


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def copbot_posts_of(*, session: Session, team_id: str, user_id: str) -> list[tuple[str, str]]:
    """(channel, ts) of what copbot posted in a person's name: their shares and their thanks.

    Snippets shared by command or form point at copbot's post; one saved with the shortcut
    points at the person's own message, which copbot cannot delete (Slack says so, harmlessly).

    Args:
        session: the open session.
        team_id: the workspace.
        user_id: whose posts.
    """
    shared = session.exec(
        select(Snippet.channel_id, Snippet.message_ts).where(
            Snippet.team_id == team_id,
            Snippet.author_id == user_id,
            col(Snippet.source).in_((SOURCE_COMMAND, SOURCE_SHORTCUT)),
        )
    ).all()
    thanked = session.exec(
        select(Kudos.channel_id, Kudos.message_ts).where(
            Kudos.team_id == team_id, Kudos.giver_id == user_id, Kudos.source == KUDOS_COMMAND
        )
    ).all()
    posts = [
        (c, ts) for c, ts in [*shared, *thanked] if c and ts and not ts.startswith(PENDING_POST)
    ]
    return list(dict.fromkeys(posts))


def forget_user(*, session: Session, team_id: str, user_id: str) -> Forgotten:
    """Delete a person's snippets, endorsements, kudos (given and received), memberships,
    cached messages and profile, and take their replies out of the threads other people's
    snippets keep (each reads "— (removed)"); knowledge they only curated stays, credited to
    its author.

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
    snippets = delete_snippets(session=session, snippet_ids=[i for i in authored if i is not None])
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
    # questions they asked go (their words); where they replied or answered, no name stays
    session.execute(
        delete(Question).where(col(Question.team_id) == team_id, col(Question.asker_id) == user_id)
    )
    session.execute(
        update(Question)
        .where(col(Question.team_id) == team_id, col(Question.first_replier_id) == user_id)
        .values(first_replier_id=None)
    )
    session.execute(
        update(Question)
        .where(col(Question.team_id) == team_id, col(Question.answered_by) == user_id)
        .values(answered_by=None)
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
    replies = _remove_replies(session, team_id, user_id)
    # their endorsements no longer count: recompute what they had endorsed
    for snippet_id in set(endorsed):
        snippet = session.get(Snippet, snippet_id)
        community = session.get(Community, snippet.community_id) if snippet else None
        if snippet is not None and community is not None:
            refresh_snippet(session=session, snippet=snippet, community=community)
    return Forgotten(snippets, endorsements, kudos, memberships, messages, replies)


def _remove_replies(session: Session, team_id: str, user_id: str) -> int:
    """Take `user_id`'s lines out of every thread snippet that has them, text, tags and
    search index alike; returns how many lines went."""
    snippet_ids = set(
        session.exec(
            select(SnippetReply.snippet_id).where(
                SnippetReply.team_id == team_id, SnippetReply.user_id == user_id
            )
        )
    )
    gone = 0
    for snippet_id in sorted(snippet_ids):
        snippet = session.get(Snippet, snippet_id)
        if snippet is None:
            continue
        lines = replies_of(session=session, snippet=snippet)
        kept = [removed(r) if r.user_id == user_id else r for r in lines]
        gone += sum(1 for r in lines if r.user_id == user_id)
        text = compose_thread(root_of(snippet.text, lines), kept)
        update_snippet_text(
            session=session,
            snippet=snippet,
            text=text,
            title=snippet.title,
            tags=edited_tags(tags_of(session=session, snippet=snippet), snippet.text, text),
            replies=kept,
        )
    return gone
