"""Snippets: capture, endorsements, status, edits and withdrawal, and the lines of threads."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy
from sqlalchemy import bindparam, func
from sqlmodel import Session, col, delete, select

from storage.clock import utcnow
from storage.limits import SNIPPET_TITLE_COLUMN
from storage.locks import write_lock
from storage.models import Community, Endorsement, Snippet, SnippetReply, SnippetTag
from storage.models.base import PENDING_POST
from storage.models.knowledge import (
    CONFIRMED_BY_REACTION,
    CONFIRMED_ON_PURPOSE,
    SOURCE_REACTION,
    STATUS_CONFIRMED,
    STATUS_PENDING,
    STATUS_WITHDRAWN,
)
from storage.search import index_snippet, snippet_tags, unindex_snippets
from storage.threads import Reply, kept, tail
from storage.types import no_nul
from storage.upsert import insert_if_absent


@dataclass(frozen=True)
class NewSnippet:
    """What is known about a piece of knowledge when it is first captured.

    A thread's `text` is composed from its root and `replies` (storage/threads.py).
    """

    channel_id: str
    message_ts: str
    author_id: str
    curator_id: str
    text: str
    title: str
    tags: Sequence[str]
    permalink: str
    source: str
    is_private: bool
    thread_ts: str | None = None
    replies: Sequence[Reply] = ()


def get_snippet(
    *, session: Session, team_id: str, channel_id: str, message_ts: str
) -> Snippet | None:
    """The snippet captured from a message, if any (whatever its status)."""
    found = {"team_id": team_id, "channel_id": channel_id, "message_ts": message_ts}
    return session.exec(_SNIPPET_OF_MESSAGE, params=found).first()


# Statements of the hot paths (every reaction), built once: building a query per call cost
# more than running it.
_SNIPPET_OF_MESSAGE = select(Snippet).where(
    Snippet.team_id == bindparam("team_id"),
    Snippet.channel_id == bindparam("channel_id"),
    Snippet.message_ts == bindparam("message_ts"),
)
_ENDORSERS = (
    select(Endorsement.user_id, func.min(Endorsement.created_at))
    .where(Endorsement.snippet_id == bindparam("snippet_id"), Endorsement.emoji != "")
    .group_by(col(Endorsement.user_id))
    .order_by(func.min(Endorsement.created_at))
)


def snippet_by_id(*, session: Session, team_id: str, snippet_id: int) -> Snippet | None:
    """A snippet of the workspace by id."""
    query = select(Snippet).where(Snippet.team_id == team_id, Snippet.id == snippet_id)
    return session.exec(query).first()


def capture_snippet(
    *, session: Session, community: Community, new: NewSnippet
) -> tuple[Snippet, bool]:
    """Record a snippet unless the message was already captured.

    Args:
        session: the open session (committed here).
        community: the community it belongs to.
        new: the snippet's content.

    Returns:
        The snippet and whether this call created it (False: it existed already, possibly
        captured at the same moment by another reaction).
    """
    _check_lines(new.text, new.replies)
    now = utcnow()
    created = insert_if_absent(
        session=session,
        model=Snippet,
        values={
            "team_id": community.team_id,
            "community_id": community.id,
            "channel_id": new.channel_id,
            "message_ts": new.message_ts,
            "thread_ts": new.thread_ts,
            "permalink": new.permalink[:500],
            "author_id": new.author_id,
            "curator_id": new.curator_id,
            "title": no_nul(new.title)[:SNIPPET_TITLE_COLUMN],
            "text": no_nul(new.text),
            "source": new.source,
            "status": STATUS_PENDING,
            "is_private": new.is_private,
            "endorsements": 0,
            "created_at": now,
        },
    )
    snippet = get_snippet(
        session=session,
        team_id=community.team_id,
        channel_id=new.channel_id,
        message_ts=new.message_ts,
    )
    assert snippet is not None
    if created:
        _write_tags(session, snippet, new.tags)
        _write_replies(session, snippet, new.replies)
        index_snippet(session=session, snippet=snippet, tags=new.tags)
    session.commit()
    return snippet, created


def _write_tags(session: Session, snippet: Snippet, tags: Sequence[str]) -> None:
    assert snippet.id is not None
    session.execute(delete(SnippetTag).where(col(SnippetTag.snippet_id) == snippet.id))
    for tag in dict.fromkeys(tags):
        session.add(SnippetTag(snippet_id=snippet.id, tag=tag, team_id=snippet.team_id))
    session.flush()


def _check_lines(text: str, replies: Sequence[Reply]) -> None:
    if not text.endswith(tail(replies)):
        raise ValueError("a thread snippet's text must end with the lines of its replies")


def set_replies(*, session: Session, snippet: Snippet, replies: Sequence[Reply]) -> None:
    """Keep the reply lines of a thread snippet whose text is unchanged (who wrote each line
    of a thread that migration 0008 could not attribute, read again from Slack).

    Args:
        session: the open session (committed here).
        snippet: the snippet, whose text was composed from `replies`.
        replies: its replies, as composed.
    """
    _check_lines(snippet.text, replies)
    _write_replies(session, snippet, replies)
    session.commit()


def _write_replies(session: Session, snippet: Snippet, replies: Sequence[Reply]) -> None:
    """The reply lines of a thread snippet's text, in order (none: not a thread)."""
    assert snippet.id is not None
    session.execute(delete(SnippetReply).where(col(SnippetReply.snippet_id) == snippet.id))
    for position, reply in enumerate(kept(replies)):
        session.add(
            SnippetReply(
                team_id=snippet.team_id,
                snippet_id=snippet.id,
                position=position,
                ts=reply.ts,
                user_id=reply.user_id,
                name=no_nul(reply.name),
                text=no_nul(reply.text),
                removed=reply.removed,
            )
        )
    session.flush()


def replies_of(*, session: Session, snippet: Snippet) -> list[Reply]:
    """The reply lines kept with a snippet's text, in order (none for a single message)."""
    rows = session.exec(
        select(SnippetReply)
        .where(SnippetReply.snippet_id == snippet.id)
        .order_by(col(SnippetReply.position))
    )
    return [Reply(r.ts, r.user_id, r.name, r.text, r.removed) for r in rows]


def add_endorsement(*, session: Session, snippet: Snippet, user_id: str, emoji: str) -> bool:
    """Record that `user_id` reacted to the snippet's message with a knowledge emoji.

    An endorsement is a distinct person's knowledge reaction on the source message, and only
    that: sharing, saving with the shortcut and a facilitator's Confirm are not endorsements.

    Args:
        session: the open session (committed here).
        snippet: the snippet.
        user_id: who reacted.
        emoji: the reaction's name.

    Returns:
        False when exactly this endorsement was already recorded (a re-delivery).
    """
    added = insert_if_absent(
        session=session,
        model=Endorsement,
        values={
            "team_id": snippet.team_id,
            "snippet_id": snippet.id,
            "user_id": user_id,
            "emoji": emoji,
            "created_at": utcnow(),
        },
    )
    session.commit()
    return added


def remove_endorsement(*, session: Session, snippet: Snippet, user_id: str, emoji: str) -> bool:
    """Undo one endorsement; False when there was none to undo.

    Args:
        session: the open session (committed here).
        snippet: the snippet.
        user_id: whose endorsement.
        emoji: the reaction that was removed.
    """
    result = session.execute(
        delete(Endorsement).where(
            col(Endorsement.snippet_id) == snippet.id,
            col(Endorsement.user_id) == user_id,
            col(Endorsement.emoji) == emoji,
        )
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def endorser_ids(*, session: Session, snippet: Snippet) -> list[str]:
    """Distinct people who reacted to its message with a knowledge emoji, earliest first."""
    return [user_id for user_id, _ in session.exec(_ENDORSERS, params={"snippet_id": snippet.id})]


def refresh_snippet(
    *,
    session: Session,
    snippet: Snippet,
    community: Community,
    facilitator_ids: Collection[str] = (),
) -> Snippet:
    """Recompute a snippet's endorsement count and status from the stored rows.

    Nothing is incremented or decremented, so re-delivered or out-of-order events can never
    leave a count negative or doubled. A facilitator's reaction confirms while it is there;
    a Confirm (confirmed_by) stays. The rows are counted and the snippet written under a lock
    on the snippet, so concurrent reactions cannot leave an older count last.

    Args:
        session: the open session (committed here).
        snippet: the snippet to refresh.
        community: its community (threshold and confirmation rule).
        facilitator_ids: which of its endorsers are facilitators (their reaction confirms).
    """
    session.add(snippet)
    session.commit()  # what the caller changed (a Confirm) is kept
    write_lock(session, f"snippet {snippet.id}")
    session.refresh(snippet)
    endorsers = endorser_ids(session=session, snippet=snippet)
    snippet.endorsements = len(endorsers)
    reacting = [u for u in endorsers if u in facilitator_ids]
    if snippet.confirmed_via == CONFIRMED_BY_REACTION and snippet.confirmed_by not in reacting:
        snippet.confirmed_by = snippet.confirmed_via = None  # they took their reaction back
    if reacting and not snippet.confirmed_by:
        snippet.confirmed_by, snippet.confirmed_via = reacting[0], CONFIRMED_BY_REACTION
    confirmed = bool(snippet.confirmed_by)
    snippet.status = _derive_status(snippet, community, len(endorsers), confirmed)
    if snippet.status == STATUS_CONFIRMED and snippet.confirmed_at is None:
        snippet.confirmed_at = utcnow()
    session.add(snippet)
    session.commit()
    return snippet


def _derive_status(snippet: Snippet, community: Community, endorsers: int, confirmed: bool) -> str:
    if snippet.deleted_at is not None or snippet.rejected_by:
        return STATUS_WITHDRAWN
    if snippet.source == SOURCE_REACTION:
        # every reaction was taken back
        if endorsers == 0:
            return STATUS_WITHDRAWN
        if endorsers < max(1, community.reactions_required):
            return STATUS_PENDING
    if community.require_confirmation and not confirmed:
        return STATUS_PENDING
    return STATUS_CONFIRMED


def confirm_snippet(
    *, session: Session, snippet: Snippet, community: Community, facilitator_id: str
) -> Snippet:
    """A facilitator confirms a snippet (with the button, or by sharing or saving it).

    A Confirm is not an endorsement: the snippet's count stays the people who reacted.

    Args:
        session: the open session (committed here).
        snippet: the snippet.
        community: its community.
        facilitator_id: who confirmed it (the caller checked the role).
    """
    snippet.confirmed_by, snippet.confirmed_via = facilitator_id, CONFIRMED_ON_PURPOSE
    return refresh_snippet(session=session, snippet=snippet, community=community)


def reject_snippet(*, session: Session, snippet: Snippet, facilitator_id: str) -> bool:
    """A facilitator rejects a snippet that waits for confirmation: it is withdrawn for good,
    whatever reactions follow. False when it no longer waited (confirmed, withdrawn, or
    rejected by someone else first), so only one rejection is ever told.

    Args:
        session: the open session (committed here).
        snippet: the snippet.
        facilitator_id: who rejected it (the caller checked the role).
    """
    session.commit()
    write_lock(session, f"snippet {snippet.id}")
    session.refresh(snippet)
    if snippet.status != STATUS_PENDING:
        session.commit()
        return False
    snippet.rejected_by = facilitator_id
    snippet.status = STATUS_WITHDRAWN
    session.add(snippet)
    session.commit()
    return True


def update_snippet_text(
    *,
    session: Session,
    snippet: Snippet,
    text: str,
    title: str,
    tags: Sequence[str],
    replies: Sequence[Reply] | None = None,
) -> Snippet:
    """Apply an edit of the captured message (or of a reply in its thread).

    Args:
        session: the open session (committed here).
        snippet: the snippet.
        text: its new text.
        title: its new title.
        tags: its new tags.
        replies: the replies the new text was composed from (None: the lines stay as they are).
    """
    if replies is not None:
        _check_lines(text, replies)
        _write_replies(session, snippet, replies)
    snippet.text = no_nul(text)
    snippet.title = no_nul(title)[:SNIPPET_TITLE_COLUMN]
    snippet.edited_at = utcnow()
    session.add(snippet)
    session.flush()
    _write_tags(session, snippet, tags)
    index_snippet(session=session, snippet=snippet, tags=tags)
    session.commit()
    return snippet


def withdraw_snippet(*, session: Session, snippet: Snippet) -> Snippet:
    """The captured message was deleted: the snippet is withdrawn for good.

    Args:
        session: the open session (committed here).
        snippet: the snippet.
    """
    snippet.deleted_at = utcnow()
    snippet.status = STATUS_WITHDRAWN
    session.add(snippet)
    session.commit()
    return snippet


def place_snippet(
    *, session: Session, snippet: Snippet, message_ts: str, permalink: str
) -> Snippet:
    """Point a snippet recorded before its post was made (a PENDING_POST ts) at the post.

    Args:
        session: the open session (committed here).
        snippet: the snippet.
        message_ts: the post's ts.
        permalink: the post's permalink.
    """
    snippet.message_ts, snippet.permalink = message_ts, permalink[:500]
    session.add(snippet)
    session.commit()
    return snippet


def unplaced_snippets(
    *, session: Session, since: datetime, until: datetime, limit: int = 100
) -> list[Snippet]:
    """Snippets still pointing at no post (a PENDING_POST ts) created in a window: shared
    knowledge whose post Slack never confirmed, or whose ts could not be recorded.

    Args:
        session: the open session.
        since: created at or after.
        until: created before (give the sharer's own attempt time to finish).
        limit: the most returned, oldest first.
    """
    query = (
        select(Snippet)
        .where(
            col(Snippet.message_ts).startswith(PENDING_POST),
            col(Snippet.created_at) >= since,
            col(Snippet.created_at) < until,
        )
        .order_by(col(Snippet.id))
        .limit(limit)
    )
    return list(session.exec(query))


def delete_snippets(*, session: Session, snippet_ids: Sequence[int]) -> int:
    """Delete snippets with their endorsements, tags, thread lines and index entries.

    Args:
        session: the open session (the caller commits).
        snippet_ids: which.

    Returns:
        How many snippets went.
    """
    ids = list(snippet_ids)
    unindex_snippets(session=session, snippet_ids=ids)
    session.execute(delete(Endorsement).where(col(Endorsement.snippet_id).in_(ids)))
    session.execute(delete(SnippetTag).where(col(SnippetTag.snippet_id).in_(ids)))
    session.execute(delete(SnippetReply).where(col(SnippetReply.snippet_id).in_(ids)))
    result = session.execute(delete(Snippet).where(col(Snippet.id).in_(ids)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def tags_of(*, session: Session, snippet: Snippet) -> list[str]:
    """A snippet's tags, alphabetical."""
    assert snippet.id is not None
    return snippet_tags(session=session, snippet_ids=[snippet.id])[snippet.id]


def pending_snippets(*, session: Session, community_id: int, limit: int = 20) -> list[Snippet]:
    """Snippets waiting for more reactions or a facilitator, oldest first."""
    query = (
        select(Snippet)
        .where(Snippet.community_id == community_id, Snippet.status == STATUS_PENDING)
        .order_by(col(Snippet.created_at))
        .limit(limit)
    )
    return list(session.exec(query))


@dataclass(frozen=True)
class PendingRef:
    """A snippet waiting for confirmation: where it is, enough to say who may see it."""

    snippet_id: int
    community_id: int
    channel_id: str
    is_private: bool


def pending_in_communities(
    *, session: Session, team_id: str, community_ids: Collection[int], limit: int = 20
) -> dict[int, list[PendingRef]]:
    """What pending_snippets gives for each of several communities, in one query and without
    their text: each one's `limit` oldest snippets waiting for reactions or a facilitator.

    Args:
        session: the open session.
        team_id: the workspace.
        community_ids: the communities; each gets a list, empty when nothing waits there.
        limit: at most this many per community.
    """
    pending: dict[int, list[PendingRef]] = {community_id: [] for community_id in community_ids}
    if not pending:
        return pending
    found = {"team_id": team_id, "community_ids": list(pending), "limit": limit}
    for snippet_id, community_id, channel_id, is_private in session.connection().execute(
        _PENDING_IN, found
    ):
        pending[community_id].append(
            PendingRef(snippet_id, community_id, channel_id, bool(is_private))
        )
    return pending


def _pending_in() -> Any:
    place = (
        func.row_number()
        .over(
            partition_by=col(Snippet.community_id),
            order_by=(col(Snippet.created_at), col(Snippet.id)),
        )
        .label("place")
    )
    ranked = (
        sqlalchemy.select(  # sqlmodel's select types at most four columns
            col(Snippet.id).label("id"),
            col(Snippet.community_id).label("community_id"),
            col(Snippet.channel_id).label("channel_id"),
            col(Snippet.is_private).label("is_private"),
            col(Snippet.created_at).label("created_at"),
            place,
        )
        # the workspace through the community: filtered on snippet.team_id, SQLite would walk
        # all the workspace's snippets by that index instead of each community's pending ones
        .join(Community, col(Community.id) == col(Snippet.community_id))
        .where(
            col(Community.team_id) == bindparam("team_id"),
            col(Snippet.community_id).in_(bindparam("community_ids", expanding=True)),
            col(Snippet.status) == STATUS_PENDING,
        )
        .subquery()
    )
    return (
        sqlalchemy.select(
            ranked.c.id, ranked.c.community_id, ranked.c.channel_id, ranked.c.is_private
        )
        .where(ranked.c.place <= bindparam("limit"))
        .order_by(ranked.c.created_at, ranked.c.id)
    )


# App Home's reads, built once and run on the connection: a person's home is built often
_PENDING_IN = _pending_in()


class SnippetItem(NamedTuple):
    """A snippet as a list shows it (App Home), read without an ORM object each."""

    id: int
    community_id: int
    title: str
    text: str
    permalink: str
    status: str


_ITEM_COLUMNS = (
    col(Snippet.id),
    col(Snippet.community_id),
    col(Snippet.title),
    col(Snippet.text),
    col(Snippet.permalink),
    col(Snippet.status),
)


def snippets_by_ids(
    *, session: Session, team_id: str, snippet_ids: Sequence[int]
) -> list[SnippetItem]:
    """Snippets of the workspace in the order of `snippet_ids`, in one query (unknown ids are
    left out).

    Args:
        session: the open session.
        team_id: the workspace.
        snippet_ids: which ones.
    """
    if not snippet_ids:
        return []
    rows = session.connection().execute(
        _ITEMS_BY_ID, {"team_id": team_id, "snippet_ids": list(snippet_ids)}
    )
    found = {row.id: SnippetItem._make(row) for row in rows}
    return [found[i] for i in snippet_ids if i in found]


_ITEMS_BY_ID = sqlalchemy.select(*_ITEM_COLUMNS).where(
    col(Snippet.team_id) == bindparam("team_id"),
    col(Snippet.id).in_(bindparam("snippet_ids", expanding=True)),
)


def most_endorsed(
    *, session: Session, community_id: int, shareable: Collection[str], limit: int = 3
) -> list[Snippet]:
    """A community's confirmed snippets with the most endorsements, a private channel's
    only when it is one of the `shareable` channels (communities.shareable_channels)."""
    query = (
        select(Snippet)
        .where(
            Snippet.community_id == community_id,
            Snippet.status == STATUS_CONFIRMED,
            sqlalchemy.or_(
                col(Snippet.is_private).is_(False), col(Snippet.channel_id).in_(list(shareable))
            ),
        )
        .order_by(col(Snippet.endorsements).desc(), col(Snippet.created_at).desc())
        .limit(limit)
    )
    return list(session.exec(query))


class TopItem(NamedTuple):
    """One of a community's most endorsed snippets, as App Home lists it."""

    id: int
    community_id: int
    title: str
    text: str
    permalink: str
    endorsements: int
    channel_id: str
    is_private: bool


def most_endorsed_in(
    *, session: Session, team_id: str, community_ids: Sequence[int], limit: int = 3
) -> dict[int, list[TopItem]]:
    """Each community's most endorsed confirmed snippets (ties: the newest first), in one
    statement whatever their number, each community's read from its index entries
    (ix_snippet_community_status_endorsed); private ones are in the lists (the caller
    decides who may see them).

    Args:
        session: the open session.
        team_id: the workspace.
        community_ids: the communities.
        limit: how many per community.
    """
    wanted = list(dict.fromkeys(community_ids))
    top: dict[int, list[TopItem]] = {c: [] for c in wanted}
    if not wanted:
        return top
    found: dict[str, object] = {"team_id": team_id, "limit": limit}
    found.update({f"c{i}": c for i, c in enumerate(wanted)})
    for row in session.connection().execute(_most_endorsed(len(wanted)), found):
        top[row.community_id].append(TopItem._make(row))
    return top


@functools.lru_cache(maxsize=64)
def _most_endorsed(count: int) -> Any:
    """The statement for `count` communities: a UNION ALL of each one's first entries."""

    def one(i: int) -> Any:
        return (
            sqlalchemy.select(
                col(Snippet.id),
                col(Snippet.community_id),
                col(Snippet.title),
                col(Snippet.text),
                col(Snippet.permalink),
                col(Snippet.endorsements),
                col(Snippet.channel_id),
                col(Snippet.is_private),
            )
            .where(
                col(Snippet.community_id) == bindparam(f"c{i}"),
                col(Snippet.status) == STATUS_CONFIRMED,
                col(Snippet.team_id) == bindparam("team_id"),
                col(Snippet.endorsements) > 0,
            )
            .order_by(col(Snippet.endorsements).desc(), col(Snippet.id).desc())
            .limit(bindparam("limit"))
            .subquery()
            .select()
        )

    return sqlalchemy.union_all(*(one(i) for i in range(count)))


class MyItem(NamedTuple):
    """One of someone's latest snippets: one they wrote, or one they saved (curated)."""

    item: SnippetItem
    wrote: bool


def recent_of(*, session: Session, team_id: str, user_id: str, limit: int = 5) -> list[MyItem]:
    """Someone's latest snippets that are not withdrawn, newest first: those they wrote and
    those they saved from someone else's message (each read in order from its index)."""
    found = {"team_id": team_id, "user_id": user_id, "limit": limit}
    rows = session.connection().execute(_RECENT_OF, found)
    return [MyItem(SnippetItem._make(row[:-1]), row[-1] == user_id) for row in rows]


def _latest_ids(person: Any) -> Any:
    return (
        sqlalchemy.select(col(Snippet.id))
        .where(
            col(Snippet.team_id) == bindparam("team_id"),
            person == bindparam("user_id"),
            col(Snippet.status) != STATUS_WITHDRAWN,
        )
        .order_by(col(Snippet.created_at).desc())
        .limit(bindparam("limit"))
        .subquery()
    )


_WROTE, _SAVED = _latest_ids(col(Snippet.author_id)), _latest_ids(col(Snippet.curator_id))
_RECENT_OF = (
    sqlalchemy.select(*_ITEM_COLUMNS, col(Snippet.author_id))
    .where(
        col(Snippet.id).in_(
            sqlalchemy.union(sqlalchemy.select(_WROTE.c.id), sqlalchemy.select(_SAVED.c.id))
        )
    )
    .order_by(col(Snippet.created_at).desc(), col(Snippet.id).desc())
    .limit(bindparam("limit"))
)


def iter_confirmed(
    *, session: Session, community_id: int, batch: int = 500
) -> Iterator[tuple[Snippet, list[str]]]:
    """A community's confirmed snippets with their tags, oldest first, `batch` rows at a time.

    Args:
        session: the open session.
        community_id: the community.
        batch: rows fetched per round trip (memory stays bounded for any size).
    """
    last_id = 0
    while True:
        rows = list(
            session.exec(
                select(Snippet)
                .where(
                    Snippet.community_id == community_id,
                    Snippet.status == STATUS_CONFIRMED,
                    col(Snippet.id) > last_id,
                )
                .order_by(col(Snippet.id))
                .limit(batch)
            )
        )
        if not rows:
            return
        tags = snippet_tags(session=session, snippet_ids=[r.id for r in rows if r.id is not None])
        for row in rows:
            yield row, tags.get(row.id or 0, [])
        last_id = rows[-1].id or last_id
        session.expunge_all()
