"""/cop share and /cop search."""

from __future__ import annotations

import re

from bot.blocks.knowledge import render_experts
from bot.errors import CopError
from bot.lookups import display_names
from bot.text import hashtags
from handlers.commands.invocation import Invocation
from handlers.commands.registry import EVERYONE, MEMBERS, Subcommand
from handlers.shared.knowledge import auto_title, confirmation_note, share_knowledge
from handlers.shared.privacy import visible_private_channels
from handlers.shared.search import parse_query, search_message
from storage import communities, db
from storage.markup import visible
from storage.models.knowledge import SOURCE_COMMAND, STATUS_CONFIRMED
from storage.search import find_experts

_HASHTAGS = re.compile(r"(?<![\w&])#[^\W_][\w-]*")
SHARE_USAGE = "Share what? Try `/cop share Use pytest fixtures for set-up #testing`."
SEARCH_USAGE = (
    "Search for what? Try `/cop search fixtures`, `/cop search #testing` or `/cop search @alice`."
)


def run_share(inv: Invocation) -> None:
    """Record a snippet by the caller and post it to the channel with attribution."""
    # tags alone are no knowledge: "/cop share #python" asks for the words
    if not _HASHTAGS.sub(" ", visible(inv.args)).strip():
        raise CopError(SHARE_USAGE)
    community = inv.home
    with db.session() as session:
        binding = communities.channel_binding(
            session=session, team_id=inv.team_id, channel_id=inv.channel_id
        )
        text = inv.args.strip()
        snippet = share_knowledge(
            inv.client,
            session,
            community=community,
            channel_id=inv.channel_id,
            is_private=bool(binding and binding.is_private),
            user_id=inv.user_id,
            text=text,
            title=auto_title(inv.client, session, team_id=inv.team_id, text=text),
            tags=hashtags(text),
            source=SOURCE_COMMAND,
            token=inv.token,
            redone=inv.redone,
        )
        if snippet.status != STATUS_CONFIRMED:
            inv.reply_text(confirmation_note(community, snippet))


def run_search(inv: Invocation) -> None:
    """Ranked results from the knowledge the caller may see."""
    if parse_query(inv.args).empty:
        raise CopError(SEARCH_USAGE)
    with db.session() as session:
        message = search_message(
            inv.client, session, team_id=inv.team_id, user_id=inv.user_id, raw=inv.args
        )
    inv.reply(message)


def run_experts(inv: Invocation) -> None:
    """Members whose snippets and endorsements best match a topic."""
    query = parse_query(inv.args)
    if query.empty:
        raise CopError("Experts on what? Try `/cop experts testing` or `/cop experts #kubernetes`.")
    with db.session() as session:
        private = visible_private_channels(
            inv.client, session, team_id=inv.team_id, user_id=inv.user_id
        )
        experts = find_experts(
            session=session,
            team_id=inv.team_id,
            query=query.text,
            tags=query.tags,
            private_channel_ids=private,
        )
        names = display_names(
            inv.client, session, team_id=inv.team_id, user_ids=[e.user_id for e in experts]
        )
    rows = [(names[e.user_id], e.snippets, e.endorsements) for e in experts]
    inv.reply(render_experts(topic=inv.args.strip(), experts=rows))


SUBCOMMANDS = (
    Subcommand(
        "share",
        "share <text> [#tag …]",
        "save what you know as community knowledge and post it here",
        MEMBERS,
        run_share,
    ),
    Subcommand(
        "search",
        "search <query> [#tag] [@person]",
        "find what the community knows",
        EVERYONE,
        run_search,
        aliases=("find",),
    ),
    Subcommand(
        "experts",
        "experts <topic>",
        "who knows most about a topic, from what they shared and endorsed",
        EVERYONE,
        run_experts,
        aliases=("expert", "who"),
    ),
)
