"""Messages and the modal about a community itself: creation, info, joining and leaving."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from bot.blocks.kit import (
    Block,
    Message,
    context,
    divider,
    header,
    link,
    mrkdwn,
    plain,
    section,
)
from bot.blocks.schedule import ScheduleLine, schedule_text
from bot.mrkdwn import channel, escape, truncate, user
from bot.text import counted
from storage.limits import COMMUNITY_DOMAIN_MAX, COMMUNITY_NAME_MAX
from storage.markup import to_mrkdwn, visible

if TYPE_CHECKING:
    from storage.communities import CommunityOverview

CREATE_VIEW = "create_community"
NAME_BLOCK, NAME_ACTION = "name", "name_input"
DOMAIN_BLOCK, DOMAIN_ACTION = "domain", "domain_input"
NAME_MAX = COMMUNITY_NAME_MAX
DOMAIN_MAX = COMMUNITY_DOMAIN_MAX


class CommunityLink(NamedTuple):
    name: str
    channel_id: str


def emoji_list(names: Sequence[str]) -> str:
    return " or ".join(f":{n}:" for n in names)


def render_created(
    *, name: str, domain: str, channel_id: str, creator_id: str, knowledge_emojis: Sequence[str]
) -> Message:
    """The public announcement in the channel when a community starts."""
    lines = [
        f":seedling: *{to_mrkdwn(name)}* is now a community of practice in {channel(channel_id)}."
    ]
    if domain:
        lines.append(f"*Domain:* {to_mrkdwn(domain)}")
    lines.append(f"Started by {user(creator_id)}, its first facilitator.")
    how = (
        f"*How it works:* react with {emoji_list(knowledge_emojis)} on a message worth keeping, "
        "and it becomes searchable community knowledge. Type `/cop help` to see everything."
    )
    return Message(
        text=f"{to_mrkdwn(name)} is now a community of practice in this channel.",
        blocks=[section("\n".join(lines)), section(how)],
    )


def render_info(overview: CommunityOverview, schedule: Sequence[ScheduleLine]) -> Message:
    """`/cop info`: domain, people, knowledge and schedule of one community."""
    c = overview.community
    facts = [f"*Domain:* {to_mrkdwn(c.domain) if c.domain else '_not set_'}"]
    several = len(overview.channels) > 1
    facts.append(
        "*Channels:* "
        + ", ".join(
            channel(ch.channel_id) + (" (home)" if several and ch.is_home else "")
            for ch in overview.channels
        )
    )
    people = ", ".join(user(u) for u in overview.facilitator_ids) or "_none_"
    facts.append(f"*Facilitators:* {people} (and the workspace's admins and owners)")
    facts.append(
        f"*Members:* {overview.member_count}   *Knowledge:* {overview.knowledge_count} "
        f"snippet{'s' if overview.knowledge_count != 1 else ''}"
    )
    blocks: list[Block] = [header(visible(c.name))]
    if c.paused:
        reason = escape(c.paused_reason or "no reason given")
        blocks.append(section(f":double_vertical_bar: *Paused:* {reason}"))
    blocks.append(section("\n".join(facts)))
    if schedule:
        blocks.append(section(schedule_text(schedule, c.timezone, paused=c.paused)))
    blocks.append(divider())
    blocks.append(context(f"Created {c.created_at:%Y-%m-%d} by {user(c.created_by)}"))
    text = (
        f"{to_mrkdwn(c.name)}: {counted(overview.member_count, 'member')}, "
        f"{counted(overview.knowledge_count, 'snippet')}" + (" (paused)" if c.paused else "")
    )
    return Message(text=text, blocks=blocks)


def _links(communities: Sequence[CommunityLink]) -> str:
    return "\n".join(
        f"• *{to_mrkdwn(c.name)}* in {channel(c.channel_id)}" for c in communities[:10]
    )


def no_community_text(*, what: str, in_dm: bool, communities: Sequence[CommunityLink]) -> str:
    """Where to go instead when a community command runs outside a community channel.

    Args:
        what: the command that was tried, e.g. "/cop info".
        in_dm: whether it ran in a direct message.
        communities: communities the caller could go to (already filtered for privacy).
    """
    if in_dm:
        text = f"`{what}` works in a community's channel, not in a direct message."
    else:
        text = (
            "This channel isn't a community yet. Start one here with "
            "`/cop create &lt;name&gt; — &lt;what it's about&gt;`."
        )
    if communities:
        text += f"\n\nTry `{what}` in one of these channels:\n" + _links(communities)
    elif in_dm:
        text += "\n\nThere are no communities yet: start one with `/cop create` in a channel."
    return text


def render_membership(*, name: str, channel_id: str, joined: bool, changed: bool) -> Message:
    """The answer to /cop join by a member already, or to /cop leave."""
    n = to_mrkdwn(name)
    if joined:  # (a newcomer gets the welcome instead: handlers.shared.communities)
        text = f"You're already a member of *{n}*."
    elif changed:
        text = (
            f"You've left *{n}*. You're still in {channel(channel_id)}; leave the channel too "
            "if you'd rather not see its messages. `/cop join` brings you back any time."
        )
    else:
        text = f"You aren't a member of *{n}*, so there's nothing to leave."
    return Message(text=text, blocks=[section(text)])


def create_modal(
    *, channel_id: str, channel_name: str, name: str = "", domain: str = ""
) -> dict[str, Any]:
    """The modal `/cop create` opens when no name is given."""
    name_input: Block = {
        "type": "plain_text_input",
        "action_id": NAME_ACTION,
        "max_length": NAME_MAX,
        "placeholder": plain("e.g. Python Guild"),
    }
    if name:
        name_input["initial_value"] = visible(name)
    domain_input: Block = {
        "type": "plain_text_input",
        "action_id": DOMAIN_ACTION,
        "multiline": True,
        "max_length": DOMAIN_MAX,
        "placeholder": plain("The shared interest: what this community learns about together"),
    }
    if domain:
        domain_input["initial_value"] = visible(domain)
    where = f"#{channel_name}" if channel_name else "this channel"
    return {
        "type": "modal",
        "callback_id": CREATE_VIEW,
        "private_metadata": channel_id,
        "title": plain("New community"),
        "submit": plain("Create"),
        "close": plain("Cancel"),
        "blocks": [
            {
                "type": "context",
                "elements": [mrkdwn(f"The community will live in {escape(where)}.")],
            },
            {
                "type": "input",
                "block_id": NAME_BLOCK,
                "label": plain("Name"),
                "element": name_input,
            },
            {
                "type": "input",
                "block_id": DOMAIN_BLOCK,
                "optional": True,
                "label": plain("Domain"),
                "element": domain_input,
            },
        ],
    }


def render_welcome(
    *,
    name: str,
    domain: str,
    channel_id: str,
    facilitator_names: Sequence[str],
    knowledge_emojis: Sequence[str],
    top: Sequence[tuple[str, str]],
) -> Message:
    """The private welcome for someone who joined a community channel.

    Args:
        name: the community.
        domain: what it is about.
        channel_id: its channel.
        facilitator_names: who runs it (names, nobody is pinged).
        knowledge_emojis: the emoji that save knowledge.
        top: the most endorsed snippets as (title, permalink).
    """
    lines = [f":wave: Welcome to *{to_mrkdwn(name)}* in {channel(channel_id)}!"]
    if domain:
        lines.append(f"It's about: {to_mrkdwn(domain)}")
    if facilitator_names:
        lines.append("Facilitated by " + ", ".join(escape(n) for n in facilitator_names[:5]) + ".")
    how = (
        "*How to take part:* react with "
        f"{emoji_list(knowledge_emojis)} on a message worth keeping, share what you know with "
        "`/cop share`, answer the weekly question in its thread, and find anything with "
        "`/cop search`."
    )
    blocks: list[Block] = [section("\n".join(lines)), section(how)]
    if top:
        links = [f"• {link(url, truncate(visible(title), 150))}" for title, url in top[:3]]
        blocks.append(section("*Most endorsed so far*\n" + "\n".join(links)))
    blocks.append(context("Rather not hear from copbot? `/cop mute`"))
    return Message(text=f"Welcome to {to_mrkdwn(name)}!", blocks=blocks)


def made_facilitator(*, by: str, community_name: str) -> str:
    """The private note to someone made a facilitator: by whom, and what it lets them do."""
    name = to_mrkdwn(community_name)
    return (
        f":seedling: {user(by)} made you a facilitator of *{name}*. You can now confirm or "
        "reject pending knowledge (`/cop pending`), manage the prompt bank (`/cop prompt add`), "
        "set the weekly schedule (`/cop schedule`), preview the digest (`/cop digest`), see "
        "how the community is doing (`/cop stats`), export its knowledge (`/cop export`) and "
        "change its settings (`/cop settings`). `/cop help` lists it all."
    )


def no_longer_facilitator(*, by: str, community_name: str) -> str:
    """The private note to someone who stops facilitating."""
    return (
        f"{user(by)} removed you as a facilitator of *{to_mrkdwn(community_name)}*. You're "
        "still a member: sharing, searching and kudos work as before."
    )


def render_channels(
    *, name: str, channels: Sequence[tuple[str, bool, bool]], done: str = ""
) -> Message:
    """`/cop channel …`: what was done, then the channels the community lives in.

    Args:
        name: the community's name, markup.
        channels: (channel id, private?, home?) of each, home first.
        done: what just changed, mrkdwn ("" for none).
    """
    lines = []
    for channel_id, private, home in channels:
        notes = []
        if home:
            notes.append("home: weekly posts go here")
        if private:
            notes.append("private: its knowledge is seen only by its members")
        lines.append(f"• {channel(channel_id)}" + (f" ({'; '.join(notes)})" if notes else ""))
    blocks = [section(f":white_check_mark: {done}")] if done else []
    blocks += [
        section(f"*{to_mrkdwn(name)}* lives in:\n" + "\n".join(lines)),
        context(
            "Knowledge, kudos and membership work in every one. Facilitators change them with "
            "`/cop channel add #channel`, `/cop channel remove #channel` and "
            "`/cop channel home #channel`."
        ),
    ]
    return Message(
        text=(done + " " if done else "") + f"Channels of {to_mrkdwn(name)}", blocks=blocks
    )


def first_steps(timezone: str) -> str:
    """The creator's private next steps, once the community is announced."""
    return (
        ":compass: You facilitate this community now. Next steps: `/cop schedule` sets when "
        f"the weekly prompt, digest and kudos summary go out (in {escape(timezone)}, your "
        "timezone in Slack: prompt Mondays 10:00, digest Fridays 16:00); `/cop settings` "
        "chooses how knowledge is kept; `/cop prompt list` shows the discussion prompts, "
        "and `/cop prompt add` adds your own. `/cop help` lists everything."
    )
