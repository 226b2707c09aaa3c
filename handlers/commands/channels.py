"""/cop channel add|remove|home #channel: the channels a community lives in."""

from __future__ import annotations

import re

from sqlmodel import Session

from bot.blocks.community import render_channels
from bot.errors import CopError
from bot.lookups import channel_facts, channel_member_ids
from bot.mrkdwn import channel
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from handlers.shared.communities import seed_members
from storage import communities, db
from storage.markup import to_mrkdwn
from storage.models import Community

USAGE = (
    "Name a channel from Slack's #-menu: `/cop channel add #channel`, "
    "`/cop channel remove #channel` or `/cop channel home #channel`."
)
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")


def _named_channel(text: str) -> str:
    found = _CHANNEL.findall(text)
    if len(found) != 1:
        raise CopError(USAGE)
    return str(found[0])


def run_channel(inv: Invocation) -> None:
    """List the community's channels, or add, remove or choose its home."""
    action, _, rest = inv.args.partition(" ")
    action = action.lower()
    with db.session() as session:
        community = inv.home
        assert community.id is not None
        done = ""
        if action in ("", "list"):
            pass
        elif action == "add":
            _add(inv, session, community, _named_channel(rest))
        elif action in ("remove", "rm"):
            done = _remove(inv, session, community, _named_channel(rest))
        elif action == "home":
            target = _named_channel(rest)
            if not communities.set_home_channel(
                session=session, community=community, channel_id=target
            ):
                raise CopError(
                    f"{channel(target)} isn't one of *{to_mrkdwn(community.name)}*'s channels: "
                    f"`/cop channel add {channel(target)}` first."
                )
        else:
            raise CopError(USAGE)
        bound = communities.channels_of(session=session, community_id=community.id)
        message = render_channels(
            name=community.name,
            channels=[(c.channel_id, c.is_private, c.is_home) for c in bound],
            done=done or _done(action, rest),
        )
    inv.reply(message)


def _done(action: str, rest: str) -> str:
    if action == "add":
        return f"{channel(_named_channel(rest))} is now one of the community's channels."
    if action == "home":
        return f"Weekly posts now go to {channel(_named_channel(rest))}."
    return ""


def _add(inv: Invocation, session: Session, community: Community, channel_id: str) -> None:
    try:
        facts = channel_facts(inv.client, channel_id)
    except CopError:  # a private channel copbot was never invited to
        raise CopError(_invite_first(channel_id)) from None
    if facts.is_archived:
        raise CopError(f"{channel(channel_id)} is archived: pick an active channel.")
    if facts.is_im:
        raise CopError("Communities live in channels, not in direct messages.")
    if not facts.is_member:
        if facts.is_private:
            raise CopError(_invite_first(channel_id))
        inv.client.conversations_join(channel=channel_id)
    if facts.is_private and inv.user_id not in channel_member_ids(inv.client, channel_id):
        # a pasted link to a private channel is not a way in: its knowledge is its members'
        raise CopError(
            "Only someone in a private channel can add it to a community: ask one of its "
            "members who facilitates here."
        )
    try:
        communities.bind_channel(
            session=session,
            community=community,
            channel_id=channel_id,
            channel_name=facts.name,
            is_private=facts.is_private,
            added_by=inv.user_id,
        )
    except communities.ChannelTaken:
        other = communities.community_for_channel(
            session=session, team_id=inv.team_id, channel_id=channel_id
        )
        if other is not None and other.id == community.id:
            raise CopError(f"{channel(channel_id)} is already one of its channels.") from None
        name = f"*{to_mrkdwn(other.name)}*" if other is not None else "another community"
        raise CopError(f"{channel(channel_id)} already hosts {name}.") from None
    seed_members(
        session=session, client=inv.client, community=community, bot_user_id=inv.bot_user_id
    )


def _invite_first(channel_id: str) -> str:
    return (
        f"copbot isn't in {channel(channel_id)}. Invite it there first "
        "(`/invite @copbot` in that channel), then add the channel again."
    )


def _remove(inv: Invocation, session: Session, community: Community, channel_id: str) -> str:
    binding = communities.channel_binding(
        session=session, team_id=community.team_id, channel_id=channel_id
    )
    try:
        removed = communities.unbind_channel(
            session=session, community=community, channel_id=channel_id
        )
    except communities.LastChannel:
        raise CopError(
            f"{channel(channel_id)} is *{to_mrkdwn(community.name)}*'s only channel: add "
            "another first (`/cop channel add #channel`)."
        ) from None
    if not removed:
        raise CopError(f"{channel(channel_id)} isn't one of the community's channels.")
    done = f"{channel(channel_id)} is no longer one of the community's channels."
    if binding is not None and binding.is_private:
        done += (
            " It was private: its knowledge is kept but shown to nobody (copbot no longer "
            "follows who is in it) until the channel is added again."
        )
    return done


SUBCOMMANDS = (
    Subcommand(
        "channel",
        "channel [add|remove|home #channel]",
        "the channels this community lives in; weekly posts go to its home",
        FACILITATORS,
        run_channel,
        aliases=("channels",),
        action="change its channels",
    ),
)
