"""Capturing knowledge from Slack messages: reactions, shortcuts, shares, edits and deletes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.blocks.knowledge import (
    capture_confirmation,
    no_community_modal,
    render_shared,
    share_modal,
)
from bot.errors import CopError
from bot.lookups import (
    channel_facts,
    channel_member_ids,
    display_names,
    named,
    permalink,
    post_message,
)
from bot.message_text import message_markup
from bot.text import hashtags, normalise_tags, title_from
from handlers.shared.roles import facilitators_among, is_facilitator
from storage import activity, communities, knowledge, messages
from storage.knowledge import NewSnippet
from storage.models import Community, Snippet
from storage.models.knowledge import STATUS_CONFIRMED
from storage.threads import Reply, compose_thread

NO_COMMUNITY = (
    "You aren't in any community yet. Join one with `/cop join` in its channel, or start one "
    "with `/cop create <name>` in a channel."
)
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
    return knowledge.refresh_snippet(
        session=session, snippet=snippet, community=community, facilitator_ids=facilitators
    )


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
    return knowledge.refresh_snippet(
        session=session, snippet=snippet, community=community, facilitator_ids=facilitators
    )


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
) -> Snippet:
    """Post knowledge in a community channel with attribution, and record it as a snippet."""
    waiting = community.require_confirmation and not is_facilitator(
        session, client, community, user_id
    )
    post = render_shared(
        sharer_id=user_id,
        text=text,
        title=title,
        tags=tags,
        community_name=community.name,
        waiting=waiting,
    )
    ts = str(post_message(client, channel_id, **post.as_kwargs())["ts"])
    snippet, _ = knowledge.capture_snippet(
        session=session,
        community=community,
        new=NewSnippet(
            channel_id=channel_id,
            message_ts=ts,
            author_id=user_id,
            curator_id=user_id,
            text=text,
            title=title,
            tags=tags,
            permalink=permalink(client, channel_id, ts),
            source=source,
            is_private=is_private,
        ),
    )
    return recorded_by(client, session, community=community, snippet=snippet, user_id=user_id)


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


IN_A_DM = (
    "copbot keeps what a community shares in its channels. A direct message stays between "
    "the people in it, so it can't be saved as knowledge."
)
PRIVATE_ELSEWHERE = (
    "This message is in a private channel that isn't a community, so it can only be kept by a "
    "community that lives in this channel. Start one here with `/cop create <name>`."
)
NOT_A_MEMBER = "Only people in this private channel can keep what is said in it."


@dataclass(frozen=True)
class SaveTarget:
    """Where a message may be saved: its channel's own community, or one the person picks."""

    home: Community | None
    choices: list[Community]


def save_target(
    client: WebClient, session: Session, *, team_id: str, user_id: str, channel_id: str
) -> SaveTarget:
    """Where `user_id` may save a message of `channel_id`, from Slack's facts about it.

    Asked when the shortcut opens its form and again, from scratch, when the form comes back:
    nothing the form carries is trusted.

    Raises:
        CopError: a DM or group DM; a private channel that is no community, or that the
            person is not in; a channel copbot cannot see; no community to save to.
    """
    if channel_id.startswith("D"):
        raise CopError(IN_A_DM)
    facts = channel_facts(client, channel_id)
    if facts.is_im:
        raise CopError(IN_A_DM)
    home = communities.community_for_channel(
        session=session, team_id=team_id, channel_id=channel_id
    )
    if facts.is_private:
        if home is None:
            raise CopError(PRIVATE_ELSEWHERE)
        if user_id not in channel_member_ids(client, channel_id):
            raise CopError(NOT_A_MEMBER)
    if home is not None:
        return SaveTarget(home=home, choices=[])
    mine = communities.communities_of_user(session=session, team_id=team_id, user_id=user_id)
    if not mine:
        raise CopError(NO_COMMUNITY)
    return SaveTarget(home=None, choices=mine)


def share_form(session: Session, *, team_id: str, user_id: str) -> dict[str, Any]:
    """The "Share knowledge" modal with the person's communities (or why there is none),
    starting on the one they most recently took part in (storage/activity.py)."""
    mine = communities.communities_of_user(session=session, team_id=team_id, user_id=user_id)
    if not mine:
        return no_community_modal(NO_COMMUNITY)
    recent = activity.most_recent_community(session=session, team_id=team_id, user_id=user_id)
    return share_modal(
        communities=[(c.id or 0, c.name) for c in mine], initial=recent.id if recent else None
    )
