"""Slack look-ups shared by listeners and scheduled jobs; Slack refusals become CopErrors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from bot.errors import CopError
from storage import users
from storage.markup import mentioned_users, with_names
from storage.models import UserProfile

MEMBER_PAGE = 200
MAX_SEEDED_MEMBERS = 10_000
CANT_SEE_CHANNEL = (
    "I can't see this channel. Invite me first with `/invite @copbot`, then try again."
)


@dataclass(frozen=True)
class ChannelFacts:
    id: str
    name: str
    is_private: bool
    is_member: bool
    is_archived: bool
    is_im: bool


def channel_facts(client: WebClient, channel_id: str) -> ChannelFacts:
    """What conversations.info says about a channel.

    Raises:
        CopError: when copbot cannot see the channel (a private channel it was not invited to).
    """
    try:
        info = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as exc:
        if exc.response.get("error") in ("channel_not_found", "missing_scope"):
            raise CopError(CANT_SEE_CHANNEL) from None
        raise
    return ChannelFacts(
        id=channel_id,
        name=info.get("name") or "",
        is_private=bool(info.get("is_private") or info.get("is_group")),
        is_member=bool(info.get("is_member")),
        is_archived=bool(info.get("is_archived")),
        is_im=bool(info.get("is_im") or info.get("is_mpim")),
    )


def channel_member_ids(client: WebClient, channel_id: str) -> list[str]:
    """Everyone in a channel (up to MAX_SEEDED_MEMBERS), following pagination."""
    members: list[str] = []
    cursor = None
    while len(members) < MAX_SEEDED_MEMBERS:
        page = client.conversations_members(channel=channel_id, limit=MEMBER_PAGE, cursor=cursor)
        members.extend(page.get("members") or [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return members[:MAX_SEEDED_MEMBERS]


def user_profile(
    client: WebClient, session: Session, *, team_id: str, user_id: str
) -> UserProfile | None:
    """The user's profile from the cache, else from users.info (None if Slack has no such user)."""
    profile = users.cached_profile(session=session, team_id=team_id, user_id=user_id)
    if profile is not None:
        return profile
    session.commit()  # end the read: no connection is held while Slack answers
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        if exc.response.get("error") in ("user_not_found", "users_not_found"):
            return None
        raise
    return users.save_profile(session=session, team_id=team_id, user=user)


def display_names(
    client: WebClient, session: Session, *, team_id: str, user_ids: list[str]
) -> dict[str, str]:
    """Names to show for people (never @-mentions, so nobody is pinged): the cached profiles
    in one query, users.info for the others."""
    cached = users.cached_profiles(session=session, team_id=team_id, user_ids=user_ids)
    names: dict[str, str] = {}
    for user_id in dict.fromkeys(user_ids):
        profile = cached.get(user_id)
        if profile is None:
            try:
                profile = user_profile(client, session, team_id=team_id, user_id=user_id)
            except SlackApiError:
                profile = None
        names[user_id] = profile.shown_name if profile else "someone"
    return names


def named(client: WebClient, session: Session, *, team_id: str, text: str) -> str:
    """`text` (markup) with everyone it mentions labelled with the name Slack shows."""
    mentioned = mentioned_users(text)
    if not mentioned:
        return text
    return with_names(text, display_names(client, session, team_id=team_id, user_ids=mentioned))


def permalink(client: WebClient, channel_id: str, ts: str) -> str:
    """A message's permalink, or "" when Slack will not give one."""
    try:
        return str(
            client.chat_getPermalink(channel=channel_id, message_ts=ts).get("permalink") or ""
        )
    except (SlackClientError, OSError):  # refused, or no answer after the client's retries
        return ""


NOT_IN_CHANNEL = "I can't post in this channel: invite me with `/invite @copbot`, then try again."


def post_message(client: WebClient, channel_id: str, **message: object) -> dict[str, object]:
    """chat.postMessage, with the channel problems a person can fix turned into a CopError."""
    try:
        return dict(client.chat_postMessage(channel=channel_id, **message).data)  # type: ignore[arg-type]
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error in ("not_in_channel", "channel_not_found"):
            raise CopError(NOT_IN_CHANNEL) from None
        if error == "is_archived":
            raise CopError("This channel is archived, so nothing can be posted in it.") from None
        raise


HISTORY_PAGE = 200
HISTORY_PAGES = 5


def find_own_post(
    client: WebClient, channel_id: str, *, since: datetime, event_type: str, payload: dict[str, Any]
) -> dict[str, Any] | None:
    """copbot's message in the channel, posted after `since`, whose metadata is `event_type`
    with (at least) `payload`; how a post whose answer was lost is found again.

    Args:
        client: the workspace's client.
        channel_id: where it would be.
        since: look no further back (Slack's clock; give a few minutes' margin).
        event_type: its metadata's event_type.
        payload: what its event_payload holds.
    """
    cursor = None
    for _ in range(HISTORY_PAGES):
        page = client.conversations_history(
            channel=channel_id,
            oldest=f"{since.timestamp():.6f}",
            include_all_metadata=True,
            limit=HISTORY_PAGE,
            cursor=cursor,
        )
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            found = metadata.get("event_payload") or {}
            if metadata.get("event_type") == event_type and all(
                found.get(key) == value for key, value in payload.items()
            ):
                return dict(message)
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return None


def refused_by_slack(error: Exception) -> bool:
    """Whether Slack answered a call with a refusal, so it surely did nothing (unlike a
    timeout, a lost connection or a 5xx, after which it may have)."""
    return isinstance(error, SlackApiError) and error.response.status_code < 500


def workspace_of(context: Any) -> str:
    """The workspace a request is for: Bolt's context.team_id, from the verified envelope
    (`authorizations`, the installing team). `event.team`, `user.team_id` and the like only say
    which workspace a person comes from: in a Slack Connect channel, often another one."""
    return str(context.team_id or "")


def team_of(context: Any, payload: dict[str, Any]) -> str:
    """The workspace an interactive payload came from."""
    return str(context.team_id or (payload.get("team") or {}).get("id", ""))
