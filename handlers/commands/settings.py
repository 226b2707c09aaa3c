"""/cop settings and /cop pending: facilitators tune capture and confirm waiting knowledge."""

from __future__ import annotations

import re

from bot.blocks.kit import Message
from bot.blocks.settings import emoji_names, render_settings
from bot.errors import CopError
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from handlers.shared.pending import pending_message
from storage import communities, db
from storage.models import Community

MAX_REACTIONS = 20
MAX_QUOTA = 100
_EMOJI = re.compile(r"^:?([a-z0-9_+'-]{1,60}):?$")
SETTINGS_USAGE = (
    "Try `/cop settings`, `/cop settings reactions 2`, `/cop settings confirmation on` or "
    "`/cop settings knowledge-emoji :bulb: :books:`, `/cop settings kudos-emoji :raised_hands:` "
    "or `/cop settings kudos-quota 10`."
)


def parse_emoji(words: list[str]) -> list[str]:
    """ ":bulb: books" → ["bulb", "books"]; CopError for anything that is not an emoji name."""
    names = []
    for word in words:
        match = _EMOJI.match(word.strip().lower())
        if not match:
            raise CopError(f"`{word[:40]}` isn't an emoji name; write them like `:bulb:`.")
        names.append(match.group(1).split("::")[0])
    if not 1 <= len(names) <= 5:
        raise CopError(
            "Give between one and five emoji, e.g. `/cop settings knowledge-emoji :bulb: :books:`."
        )
    return list(dict.fromkeys(names))


def apply_setting(community: Community, key: str, words: list[str]) -> dict[str, object]:
    """The column changes one `/cop settings <key> <value…>` asks for."""
    if key in ("reactions", "reactions-needed", "threshold"):
        if len(words) != 1 or not words[0].isdigit() or not 1 <= int(words[0]) <= MAX_REACTIONS:
            raise CopError(f"Reactions needed must be a number from 1 to {MAX_REACTIONS}.")
        return {"reactions_required": int(words[0])}
    if key in ("confirmation", "confirm"):
        if len(words) != 1 or words[0].lower() not in ("on", "off", "yes", "no"):
            raise CopError("Confirmation is `on` or `off`.")
        return {"require_confirmation": words[0].lower() in ("on", "yes")}
    if key in ("knowledge-emoji", "emoji", "knowledge"):
        names = parse_emoji(words)
        clash = set(names) & set(community.kudos_emojis)
        if clash:
            raise CopError(f":{sorted(clash)[0]}: already gives kudos here; pick another emoji.")
        return {"knowledge_emoji": ",".join(names)}
    if key in ("kudos-emoji", "kudos"):
        names = parse_emoji(words)
        clash = set(names) & set(community.knowledge_emojis)
        if clash:
            raise CopError(
                f":{sorted(clash)[0]}: already saves knowledge here; pick another emoji."
            )
        return {"kudos_emoji": ",".join(names)}
    if key in ("kudos-quota", "quota"):
        if len(words) != 1 or not words[0].isdigit() or not 1 <= int(words[0]) <= MAX_QUOTA:
            raise CopError(f"The daily kudos quota must be a number from 1 to {MAX_QUOTA}.")
        return {"kudos_daily_quota": int(words[0])}
    raise CopError(f"There is no setting called `{key[:40]}`. {SETTINGS_USAGE}")


def settings_message(community: Community) -> Message:
    return render_settings(
        name=community.name,
        knowledge_emojis=community.knowledge_emojis,
        reactions_required=community.reactions_required,
        require_confirmation=community.require_confirmation,
        extra=[
            (
                "Kudos emoji",
                f"{emoji_names(community.kudos_emojis)}  "
                "(`/cop settings kudos-emoji :raised_hands:`)",
            ),
            (
                "Kudos per person per day",
                f"{community.kudos_daily_quota}  (`/cop settings kudos-quota 10`)",
            ),
        ],
    )


def run_settings(inv: Invocation) -> None:
    """Show or change how this community captures knowledge."""
    with db.session() as session:
        community = inv.home
        words = inv.args.split()
        if words:
            changes = apply_setting(community, words[0].lower(), words[1:])
            communities.update_settings(session=session, community=community, **changes)
        message = settings_message(community)
    inv.reply(message)


def run_pending(inv: Invocation) -> None:
    """List knowledge waiting for confirmation, with Confirm buttons."""
    with db.session() as session:
        community = inv.home
        message = pending_message(inv.client, session, community)
    inv.reply(message)


SUBCOMMANDS = (
    Subcommand(
        "settings",
        "settings [<setting> <value>]",
        "see or change reactions, confirmation, knowledge-emoji, kudos-emoji, kudos-quota",
        FACILITATORS,
        run_settings,
        aliases=("config",),
        action="change settings",
    ),
    Subcommand(
        "pending",
        "pending",
        "knowledge waiting for confirmation, with Confirm buttons",
        FACILITATORS,
        run_pending,
        action="confirm knowledge",
    ),
)
