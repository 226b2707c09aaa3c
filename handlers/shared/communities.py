"""Starting a community and finding the one a command is about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from logging import Logger
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.community import (
    DOMAIN_MAX,
    NAME_MAX,
    CommunityLink,
    no_community_text,
    render_created,
    render_welcome,
)
from bot.blocks.kit import Message
from bot.errors import CopError
from bot.lookups import (
    ChannelFacts,
    channel_facts,
    channel_member_ids,
    display_names,
    user_profile,
)
from bot.text import title_from
from scheduler.kinds import default_slots
from storage import communities, knowledge
from storage.markup import from_typed, visible
from storage.models import Community

# "/cop create Python Guild — all things Python": em dash, en dash, " -- ", " - " or " | "
_SEPARATOR = re.compile(r"\s*(?:—|–|\s--\s|\s-\s|\s\|\s)\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class NewCommunity:
    name: str
    domain: str


def parse_create_args(text: str) -> NewCommunity:
    """Split `<name> [— domain]` and validate both parts.

    Raises:
        CopError: the name is empty, too long or has no letters or digits; the domain is too long.
    """
    parts = _SEPARATOR.split(text.strip(), maxsplit=1)
    return validate_new_community(parts[0], parts[1] if len(parts) > 1 else "")


def validate_new_community(name: str, domain: str) -> NewCommunity:
    """Clean and check a community's name and domain, both markup (the command's text, or
    the modal's raw input made markup); lengths count what people read.

    A name is words: a link or mention typed into it is kept as the text it shows.
    """
    shown = " ".join(_CONTROL.sub(" ", visible(name)).split())
    domain = _CONTROL.sub(" ", domain or "").strip()
    if not shown:
        raise CopError(
            "Give the community a name: `/cop create &lt;name&gt; — &lt;what it's about&gt;`.",
            in_form="Give the community a name, with at least one letter or digit.",
        )
    if len(shown) > NAME_MAX:
        raise CopError(f"That name is {len(shown)} characters long; keep it under {NAME_MAX}.")
    if not any(ch.isalnum() for ch in shown):
        raise CopError("A community name needs at least one letter or digit.")
    if len(visible(domain)) > DOMAIN_MAX:
        length = len(visible(domain))
        raise CopError(f"The domain is {length} characters long; keep it under {DOMAIN_MAX}.")
    return NewCommunity(name=from_typed(shown), domain=domain)


def check_can_create(
    *, session: Session, client: WebClient, team_id: str, channel_id: str, name: str
) -> ChannelFacts:
    """Everything that must hold before a community can start in `channel_id`.

    Raises:
        CopError: a DM, an archived channel, a channel that already hosts a community,
            a private channel copbot is not in, or a name already taken.
    """
    if channel_id.startswith("D"):
        raise CopError(
            "Communities live in channels. Run `/cop create &lt;name&gt;` in the channel "
            "your community will use.",
            in_form="Communities live in channels: open this form from the channel yours will use.",
        )
    existing = communities.community_for_channel(
        session=session, team_id=team_id, channel_id=channel_id
    )
    if existing is not None:
        raise CopError(
            f"This channel already hosts *{existing.name}*. `/cop info` tells you about it.",
            in_form=f"This channel already hosts {visible(existing.name)}: start yours in "
            "another channel.",
        )
    facts = channel_facts(client, channel_id)
    if facts.is_im:
        raise CopError("Communities live in channels, not in direct messages.")
    if facts.is_archived:
        raise CopError("This channel is archived; start the community in an active channel.")
    if communities.community_by_name(session=session, team_id=team_id, name=name) is not None:
        raise CopError(f"There is already a community called *{name}*; pick another name.")
    return facts


def start_community(
    *,
    session: Session,
    client: WebClient,
    team_id: str,
    user_id: str,
    facts: ChannelFacts,
    new: NewCommunity,
    timezone: str,
    bot_user_id: str,
    logger: Logger,
) -> Community:
    """Create the community, seed its members from the channel, and announce it there.

    Raises:
        CopError: the name was taken meanwhile.
    """
    if not facts.is_member and not facts.is_private:
        # copbot must be in the channel to see its messages and reactions
        client.conversations_join(channel=facts.id)
    # the weekly posts go out in the creator's own timezone, as Slack knows it (else `timezone`)
    creator = user_profile(client, session, team_id=team_id, user_id=user_id)
    timezone = _known_zone(creator.tz if creator else "") or timezone
    try:
        community = communities.create_community(
            session=session,
            team_id=team_id,
            name=new.name,
            domain=new.domain,
            channel_id=facts.id,
            channel_name=facts.name,
            is_private=facts.is_private,
            created_by=user_id,
            timezone=timezone,
            slots=default_slots(),
        )
    except communities.NameTaken:
        raise CopError(
            f"There is already a community called *{new.name}*; pick another name."
        ) from None
    except communities.ChannelTaken:
        existing = communities.community_for_channel(
            session=session, team_id=team_id, channel_id=facts.id
        )
        name = f"*{existing.name}*" if existing is not None else "a community"
        raise CopError(
            f"This channel already hosts {name}. `/cop info` tells you about it."
        ) from None
    announcement = render_created(
        name=community.name,
        domain=community.domain,
        channel_id=facts.id,
        creator_id=user_id,
        knowledge_emojis=community.knowledge_emojis,
    )
    client.chat_postMessage(channel=facts.id, **announcement.as_kwargs())
    seed_members(session=session, client=client, community=community, bot_user_id=bot_user_id)
    return community


def _known_zone(name: str) -> str:
    try:
        return name if name and ZoneInfo(name) else ""
    except (ZoneInfoNotFoundError, ValueError):
        return ""


def seed_members(
    *, session: Session, client: WebClient, community: Community, bot_user_id: str
) -> int:
    """Everyone already in the community's channel becomes a member, bots excepted."""
    assert community.id is not None
    people = []
    channels = communities.channels_of(session=session, community_id=community.id)
    for channel in channels:
        for member_id in channel_member_ids(client, channel.channel_id):
            if member_id == bot_user_id:
                continue
            profile = user_profile(client, session, team_id=community.team_id, user_id=member_id)
            if profile is not None and not profile.is_bot and not profile.deleted:
                people.append(member_id)
    return communities.add_members(session=session, community=community, user_ids=people)


def require_community(
    *, session: Session, team_id: str, user_id: str, channel_id: str, what: str, in_dm: bool
) -> Community:
    """The community of `channel_id`, or a CopError saying where to go instead."""
    community = None
    if not in_dm:
        community = communities.community_for_channel(
            session=session, team_id=team_id, channel_id=channel_id
        )
    if community is not None:
        return community
    links = visible_communities(session=session, team_id=team_id, user_id=user_id)
    raise CopError(no_community_text(what=what, in_dm=in_dm, communities=links))


def visible_communities(*, session: Session, team_id: str, user_id: str) -> list[CommunityLink]:
    """Communities the user may be pointed to: public ones, and private ones they belong to."""
    mine = {
        c.id
        for c in communities.communities_of_user(session=session, team_id=team_id, user_id=user_id)
    }
    links: dict[int, CommunityLink] = {}
    for community, bound in communities.community_channels(session=session, team_id=team_id):
        assert community.id is not None
        if community.id not in links and (not bound.is_private or community.id in mine):
            links[community.id] = CommunityLink(community.name, bound.channel_id)
    return list(links.values())


def welcome_message(
    client: WebClient, session: Session, community: Community, channel_id: str
) -> Message:
    """The welcome for a newcomer to `channel_id`: domain, facilitators, how to contribute,
    and the best knowledge they may read there (a private channel's only in that channel)."""
    assert community.id is not None
    facilitators = communities.facilitator_ids(session=session, community_id=community.id)
    names = display_names(client, session, team_id=community.team_id, user_ids=facilitators)
    shareable = communities.shareable_channels(
        session=session, community_id=community.id, shown_in=channel_id
    )
    top = knowledge.most_endorsed(session=session, community_id=community.id, shareable=shareable)
    return render_welcome(
        name=community.name,
        domain=community.domain,
        channel_id=channel_id,
        facilitator_names=[names[f] for f in facilitators],
        knowledge_emojis=community.knowledge_emojis,
        top=[(s.title or title_from(s.text), s.permalink) for s in top],
    )
