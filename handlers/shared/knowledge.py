"""Capturing knowledge from Slack messages: reactions, shortcuts, shares, edits and deletes."""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.blocks.knowledge import (
    capture_confirmation,
    render_shared,
)
from bot.errors import CopError
from bot.inbox import REDONE_WITHIN
from bot.lookups import (
    display_names,
    find_own_post,
    named,
    permalink,
    post_message,
    refused_by_slack,
)
from bot.text import hashtags, normalise_tags, title_from
from handlers.shared.messages import SlackMessage, thread_replies
from handlers.shared.pending import tell_facilitators
from handlers.shared.roles import facilitators_among, is_facilitator
from storage import communities, knowledge
from storage.clock import utcnow
from storage.knowledge import NewSnippet
from storage.models import Community, Snippet
from storage.models.base import PENDING_POST, SHARED_KNOWLEDGE_EVENT
from storage.models.knowledge import SOURCE_REACTION, STATUS_CONFIRMED, STATUS_PENDING
from storage.threads import Reply, compose_thread

log = logging.getLogger("copbot.knowledge")


@dataclass(frozen=True)
class SnippetText:
    """A snippet's text, and the reply lines it was composed from (none for one message)."""

    text: str
    replies: tuple[Reply, ...] = ()


def snippet_text(
    client: WebClient,
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    message: SlackMessage,
    forgotten: Collection[str] = (),
) -> SnippetText:
    """The text a snippet keeps: the message, or the whole thread when it is a thread root.

    Replies whose ts is in `forgotten` (their authors asked to be forgotten) keep their place
    as "— (removed)", whether or not the cache or Slack still has them; nobody's name is
    looked up for them.
    """
    if message.is_reply:
        return SnippetText(message.text)
    found = thread_replies(
        client, session, team_id=team_id, channel_id=channel_id, root=message, forgotten=forgotten
    )
    replies = [r for r in found if r.text.strip() and r.ts not in forgotten]
    names = display_names(client, session, team_id=team_id, user_ids=[r.user for r in replies])
    lines = [Reply(r.ts, r.user, names[r.user], r.text) for r in replies]
    lines += [Reply(ts, "", "", "", removed=True) for ts in forgotten]
    if not lines:
        return SnippetText(message.text)
    lines.sort(key=lambda reply: _ts_order(reply.ts))
    return SnippetText(compose_thread(message.text, lines), tuple(lines))


def _ts_order(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    return (int(seconds or 0), int(micros or 0)) if (seconds + micros).isdigit() else (0, 0)


def auto_title(client: WebClient, session: Session, *, team_id: str, text: str) -> str:
    """The title a message's markup gives itself: its first line, people by name."""
    return title_from(named(client, session, team_id=team_id, text=text))


def new_snippet(
    client: WebClient,
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    message: SlackMessage,
    curator_id: str,
    source: str,
    title: str = "",
    tags: list[str] | None = None,
) -> NewSnippet:
    """Everything a snippet captured from `message` holds."""
    composed = snippet_text(
        client, session, team_id=team_id, channel_id=channel_id, message=message
    )
    text = composed.text
    binding = communities.channel_binding(session=session, team_id=team_id, channel_id=channel_id)
    return NewSnippet(
        channel_id=channel_id,
        message_ts=message.ts,
        thread_ts=message.thread_ts if message.is_reply else None,
        author_id=message.user,
        curator_id=curator_id,
        text=text,
        title=title or auto_title(client, session, team_id=team_id, text=message.text),
        tags=normalise_tags([*(tags or []), *hashtags(text)]),
        permalink=permalink(client, channel_id, message.ts),
        source=source,
        # what is saved from a channel that is no community is public: private ones are refused
        is_private=bool(binding and binding.is_private),
        replies=composed.replies,
    )


def endorse(
    client: WebClient,
    session: Session,
    *,
    community: Community,
    snippet: Snippet,
    user_id: str,
    emoji: str,
    add: bool = True,
) -> Snippet:
    """Add (or take back) one person's endorsement and recompute the snippet from stored rows."""
    if add:
        knowledge.add_endorsement(session=session, snippet=snippet, user_id=user_id, emoji=emoji)
    else:
        knowledge.remove_endorsement(session=session, snippet=snippet, user_id=user_id, emoji=emoji)
    endorsers = knowledge.endorser_ids(session=session, snippet=snippet)
    facilitators = facilitators_among(session, client, community, endorsers)
    snippet = knowledge.refresh_snippet(
        session=session, snippet=snippet, community=community, facilitator_ids=facilitators
    )
    if add:
        tell_facilitators(client, session, community=community, snippet=snippet)
    return snippet


def recorded_by(
    client: WebClient, session: Session, *, community: Community, snippet: Snippet, user_id: str
) -> Snippet:
    """Someone shared or saved `snippet` on purpose: not an endorsement, but a facilitator
    doing so confirms it."""
    if is_facilitator(session, client, community, user_id):
        return knowledge.confirm_snippet(
            session=session, snippet=snippet, community=community, facilitator_id=user_id
        )
    endorsers = knowledge.endorser_ids(session=session, snippet=snippet)
    facilitators = facilitators_among(session, client, community, endorsers)
    snippet = knowledge.refresh_snippet(
        session=session, snippet=snippet, community=community, facilitator_ids=facilitators
    )
    tell_facilitators(client, session, community=community, snippet=snippet)
    return snippet


def confirmation_note(community: Community, snippet: Snippet) -> str:
    """The one private line for whoever captured or saved a snippet."""
    return capture_confirmation(
        community_name=community.name,
        title=snippet.title,
        status=snippet.status,
        needed=pending_reason(community, snippet),
    )


def share_knowledge(
    client: WebClient,
    session: Session,
    *,
    community: Community,
    channel_id: str,
    is_private: bool,
    user_id: str,
    text: str,
    title: str,
    tags: list[str],
    source: str,
    token: str,
    redone: bool = False,
) -> Snippet:
    """Post knowledge in a community channel with attribution, and record it as a snippet.

    `token` names this sharing in every handling of it (bot.inbox.request_token): the snippet
    is recorded under it until posted, and the post carries it, so a handling after one that
    was dropped mid-work (`redone`) finds the post or the record instead of sharing twice.
    """
    pending = PENDING_POST + token
    if redone:
        found = _shared_before(client, session, community, channel_id, pending)
        if found is not None:
            return recorded_by(client, session, community=community, snippet=found, user_id=user_id)
    waiting = community.require_confirmation and not is_facilitator(
        session, client, community, user_id
    )
    # recorded first, announced second: a refused post takes it back, a lost answer keeps it
    snippet, _ = knowledge.capture_snippet(
        session=session,
        community=community,
        new=NewSnippet(
            channel_id=channel_id,
            message_ts=pending,
            author_id=user_id,
            curator_id=user_id,
            text=text,
            title=title,
            tags=tags,
            permalink="",
            source=source,
            is_private=is_private,
        ),
    )
    post = render_shared(
        sharer_id=user_id,
        text=text,
        title=title,
        tags=tags,
        community_name=community.name,
        waiting=waiting,
        snippet_id=snippet.id,
    )
    try:
        metadata = {
            "event_type": SHARED_KNOWLEDGE_EVENT,
            "event_payload": {"snippet": snippet.id, "pending": pending},
        }
        ts = str(post_message(client, channel_id, metadata=metadata, **post.as_kwargs())["ts"])
    except (SlackClientError, OSError) as exc:
        if refused_by_slack(exc):
            _discard(session, snippet)
            raise
        log.warning("shared knowledge in %s unconfirmed: %s", channel_id, type(exc).__name__)
        recorded_by(client, session, community=community, snippet=snippet, user_id=user_id)
        raise CopError(UNCONFIRMED_SHARE) from None
    except CopError:
        _discard(session, snippet)
        raise
    link = permalink(client, channel_id, ts)
    try:
        snippet = knowledge.place_snippet(
            session=session, snippet=snippet, message_ts=ts, permalink=link
        )
        return recorded_by(client, session, community=community, snippet=snippet, user_id=user_id)
    except SQLAlchemyError as exc:  # posted, but not pointed at the post: never share it again
        log.warning(
            "shared knowledge %s in %s not fully recorded: %s", ts, channel_id, type(exc).__name__
        )
        raise CopError(POSTED_NOT_RECORDED) from None


def refresh_shared_post(
    client: WebClient, session: Session, *, community: Community, snippet: Snippet
) -> None:
    """A shared post (copbot's own, from `/cop share` or the form) tells what became of it
    once a facilitator decided: "saved to … knowledge" or "not kept". A captured message is
    someone else's: Slack refuses the update and nothing changes."""
    if snippet.source == SOURCE_REACTION or snippet.message_ts.startswith(PENDING_POST):
        return
    post = render_shared(
        sharer_id=snippet.author_id,
        text=snippet.text,
        title=snippet.title,
        tags=knowledge.tags_of(session=session, snippet=snippet),
        community_name=community.name,
        waiting=snippet.status == STATUS_PENDING,
        snippet_id=snippet.id,
        rejected=bool(snippet.rejected_by),
    )
    session.commit()  # no transaction waits on Slack
    try:
        client.chat_update(channel=snippet.channel_id, ts=snippet.message_ts, **post.as_kwargs())
    except SlackApiError as exc:
        log.info("shared post %s not updated: %s", snippet.message_ts, exc.response.get("error"))


POSTED_NOT_RECORDED = (
    "Your knowledge is posted in the channel, but copbot's database failed before it was "
    "fully recorded, so it may not show in `/cop search` yet. Please don't share it again."
)
UNCONFIRMED_SHARE = (
    "Your knowledge is saved, but Slack didn't confirm the post in the channel. "
    "Look there before sharing it again: it may have arrived."
)


def _shared_before(
    client: WebClient, session: Session, community: Community, channel_id: str, pending: str
) -> Snippet | None:
    """The snippet an earlier handling of this sharing posted, pointed at its post; None when
    that handling never posted it (then this one does, reusing any record it left)."""
    post = find_own_post(
        client,
        channel_id,
        since=utcnow() - REDONE_WITHIN,
        event_type=SHARED_KNOWLEDGE_EVENT,
        payload={"pending": pending},
    )
    if post is None:
        return None
    ts = str(post["ts"])
    team_id = community.team_id
    recorded = knowledge.get_snippet(
        session=session, team_id=team_id, channel_id=channel_id, message_ts=pending
    )
    if recorded is not None:
        return knowledge.place_snippet(
            session=session,
            snippet=recorded,
            message_ts=ts,
            permalink=permalink(client, channel_id, ts),
        )
    return knowledge.get_snippet(
        session=session, team_id=team_id, channel_id=channel_id, message_ts=ts
    )


def _discard(session: Session, snippet: Snippet) -> None:
    """Take back a snippet whose post Slack refused: it never existed for anyone."""
    knowledge.delete_snippets(session=session, snippet_ids=[snippet.id or 0])
    session.commit()


def pending_reason(community: Community, snippet: Snippet) -> str:
    """Why a snippet does not count yet, in words for the person who saved it."""
    if snippet.status == STATUS_CONFIRMED:
        return ""
    missing = community.reactions_required - snippet.endorsements
    if snippet.source == "reaction" and missing > 0:
        emoji = ":" + (community.knowledge_emojis or ["bulb"])[0] + ":"
        who = "1 more person reacts" if missing == 1 else f"{missing} more people react"
        return f"it counts once {who} with {emoji}."
    return "it counts once a facilitator confirms it (they can react with :bulb: too)."
