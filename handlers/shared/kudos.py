"""Giving kudos: who may thank whom, the daily quota, and recording the thanks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.kudos import kudos_note, over_quota, received_note
from bot.errors import CopError
from bot.lookups import display_names, permalink, user_profile
from bot.private import tell
from bot.text import first_words
from handlers.shared.messages import fetch_message
from handlers.shared.notify import tell_privately
from scheduler.periods import local_day_start
from storage import knowledge, kudos, messages, users
from storage.clock import utcnow
from storage.markup import escape
from storage.models import Community
from storage.models.kudos import KUDOS_REACTION

_LEADING = re.compile(
    r"\s*(?:<@(?P<user>[UW][A-Z0-9]+)(?:\|[^>]*)?>"
    r"|<!subteam\^(?P<group>[A-Z0-9]+)(?:\|(?P<group_name>[^>]*))?>"
    r"|@(?P<plain>[\w][\w.\-]*)"
    r"|(?P<sep>,|&|and\b))",
    re.IGNORECASE,
)
USAGE = "Try `/cop kudos @name for the great review` (several people: `@ann @bob for …`)."


@dataclass(frozen=True)
class KudosRequest:
    receiver_ids: list[str]
    reason: str


def parse_kudos(text: str, *, session: Session, team_id: str) -> KudosRequest:
    """Split "@ann, @bob and @cy for the review" into receivers and a reason.

    Raises:
        CopError: no receiver, a user group, a name nobody has, or no reason.
    """
    receivers: list[str] = []
    position = 0
    while match := _LEADING.match(text, position):
        position = match.end()
        if match.group("user"):
            receivers.append(match.group("user").upper())
        elif match.group("group"):
            name = match.group("group_name") or "that group"
            raise CopError(
                f"Kudos go to people, not to user groups like {name}. Name the people you want "
                "to thank."
            )
        elif match.group("plain"):
            receivers.append(_resolve_plain(session, team_id, match.group("plain")))
    reason = text[position:].strip()
    if not receivers:
        raise CopError(f"Who would you like to thank? {USAGE}")
    if len(reason) < 3:
        raise CopError(f"Say what you're thanking them for. {USAGE}")
    return KudosRequest(receiver_ids=list(dict.fromkeys(receivers)), reason=reason)


def _resolve_plain(session: Session, team_id: str, name: str) -> str:
    found = users.profiles_named(session=session, team_id=team_id, name=name)
    if len(found) == 1:
        return found[0].user_id
    raise CopError(
        f"I can't tell who @{name[:40]} is. Pick them from Slack's @-menu so the name turns "
        "into a mention, then send it again."
    )


def check_receiver(
    client: WebClient,
    session: Session,
    *,
    team_id: str,
    giver_id: str,
    receiver_id: str,
    bot_user_id: str,
) -> str:
    """The receiver's display name, or a CopError saying why they cannot get kudos."""
    if receiver_id == giver_id:
        raise CopError("Kudos are for thanking others. Who helped you lately?")
    profile = user_profile(client, session, team_id=team_id, user_id=receiver_id)
    if receiver_id == bot_user_id or (profile is not None and profile.is_bot):
        name = profile.shown_name if profile else "copbot"
        raise CopError(f"{name} is an app; kudos are for people.")
    if profile is None or profile.deleted:
        raise CopError("That person isn't in this workspace any more.")
    return profile.shown_name


def day_start(community: Community) -> datetime:
    """Where the daily kudos quota starts: midnight in the community's timezone."""
    return local_day_start(community.timezone, utcnow())


def quota_left(session: Session, community: Community, giver_id: str) -> int:
    """How many kudos `giver_id` may still give today (their day in the community's timezone)."""
    assert community.id is not None
    given = kudos.given_since(
        session=session, community_id=community.id, giver_id=giver_id, since=day_start(community)
    )
    return max(0, community.kudos_daily_quota - given)


def over_quota_error(community: Community, left: int, wanted: int) -> CopError:
    """The refusal of kudos that would pass the giver's daily quota."""
    return CopError(
        over_quota(
            community_name=community.name,
            quota=community.kudos_daily_quota,
            left=left,
            wanted=wanted,
        )
    )


def require_quota(session: Session, community: Community, giver_id: str, wanted: int) -> int:
    """Kudos left before giving `wanted` more; CopError when that would pass the quota.

    A courtesy check, so that a reaction over the quota is refused before copbot asks Slack
    for the message's link; the rule itself holds in storage.kudos.give_within_quota, which
    counts and writes as one step.
    """
    left = quota_left(session, community, giver_id)
    if wanted > left:
        raise over_quota_error(community, left, wanted)
    return left


def thank_by_reaction(
    client: WebClient,
    session: Session,
    *,
    community: Community,
    channel_id: str,
    ts: str,
    giver_id: str,
    item_user: str,
    bot_user_id: str,
) -> None:
    """A kudos emoji on a message: kudos from the reactor to its author, who is not pinged."""
    author = item_user
    message = None
    if not author or author == bot_user_id:
        message = fetch_message(
            client, session, team_id=community.team_id, channel_id=channel_id, ts=ts
        )
        author = message.user if message is not None and not message.bot_id else author
    if author == bot_user_id:
        # copbot posted it for someone (/cop share): the thanks go to that person
        shared = knowledge.get_snippet(
            session=session, team_id=community.team_id, channel_id=channel_id, message_ts=ts
        )
        author = shared.author_id if shared is not None else author
    try:
        if not author:
            raise CopError("That message came from an app; kudos are for people.")
        name = check_receiver(
            client,
            session,
            team_id=community.team_id,
            giver_id=giver_id,
            receiver_id=author,
            bot_user_id=bot_user_id,
        )
        require_quota(session, community, giver_id, 1)
    except CopError as refusal:
        tell(client, channel_id=channel_id, user_id=giver_id, text=refusal.reason)
        return
    link = permalink(client, channel_id, ts)
    given = kudos.give_within_quota(
        session=session,
        community=community,
        giver_id=giver_id,
        receiver_ids=[author],
        reason=escape(link) or "their message",  # markup, as every reason is
        source=KUDOS_REACTION,
        channel_id=channel_id,
        message_ts=ts,
        since=day_start(community),
    )
    if given.refused:
        over = over_quota_error(community, given.left, 1)
        tell(client, channel_id=channel_id, user_id=giver_id, text=over.reason)
    elif given.added:
        note = kudos_note(
            receiver_names=[name], left=given.left, quota=community.kudos_daily_quota, link=link
        )
        tell(client, channel_id=channel_id, user_id=giver_id, text=note)
        _tell_receiver(client, session, community, giver_id, author, channel_id, ts, link)


def _tell_receiver(
    client: WebClient,
    session: Session,
    community: Community,
    giver_id: str,
    receiver_id: str,
    channel_id: str,
    ts: str,
    link: str,
) -> None:
    """Kudos by reaction ping nobody in the channel: the receiver hears of them privately
    (once, when they are given; not if they muted copbot)."""
    cached = messages.cached_message(
        session=session, team_id=community.team_id, channel_id=channel_id, ts=ts
    )
    giver = display_names(client, session, team_id=community.team_id, user_ids=[giver_id])
    text = received_note(
        giver_name=giver[giver_id],
        community_name=community.name,
        link=link,
        quoted=first_words(cached.text) if cached is not None else "",
    )
    tell_privately(client, session, team_id=community.team_id, user_id=receiver_id, text=text)


def unthank_by_reaction(
    session: Session, *, community: Community, channel_id: str, ts: str, giver_id: str
) -> None:
    """The kudos emoji was taken back: so are the kudos it gave."""
    kudos.withdraw_kudos(
        session=session,
        team_id=community.team_id,
        source=KUDOS_REACTION,
        channel_id=channel_id,
        message_ts=ts,
        giver_id=giver_id,
    )
