"""/cop settings and /cop pending: facilitators tune capture and confirm waiting knowledge."""

from __future__ import annotations

from dataclasses import replace

from bot.blocks.settings import LABELS, SettingsValues, render_settings, settings_modal
from bot.errors import CopError
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from handlers.shared import settings as shared
from handlers.shared.pending import pending_message
from storage import db

SETTINGS_USAGE = (
    "`/cop settings` opens them all in a form. To change one, name it: `reactions`, "
    "`confirmation`, `knowledge-emoji`, `kudos-emoji`, `kudos-quota` or `questions`, e.g. "
    "`/cop settings reactions 2`."
)
KEYS = {
    "reactions": "reactions_required",
    "reactions-needed": "reactions_required",
    "threshold": "reactions_required",
    "confirmation": "require_confirmation",
    "confirm": "require_confirmation",
    "knowledge-emoji": "knowledge_emojis",
    "emoji": "knowledge_emojis",
    "knowledge": "knowledge_emojis",
    "kudos-emoji": "kudos_emojis",
    "kudos": "kudos_emojis",
    "kudos-quota": "kudos_daily_quota",
    "quota": "kudos_daily_quota",
    "questions": "questions_enabled",
}


def apply_setting(values: SettingsValues, key: str, words: list[str]) -> SettingsValues:
    """The settings as `/cop settings <key> <value…>` would leave them."""
    field = KEYS.get(key)
    if field is None:
        raise CopError(f"There is no setting called `{key[:40]}`. {SETTINGS_USAGE}")
    one = words[0] if len(words) == 1 else ""
    if field == "reactions_required":
        return replace(values, reactions_required=shared.reactions(one))
    if field == "kudos_daily_quota":
        return replace(values, kudos_daily_quota=shared.kudos_quota(one))
    if field in ("require_confirmation", "questions_enabled"):
        if one.lower() not in ("on", "off", "yes", "no"):
            raise CopError(f"{key.capitalize()} is `on` or `off`, e.g. `/cop settings {key} on`.")
        on = one.lower() in ("on", "yes")
        if field == "questions_enabled":
            return replace(values, questions_enabled=on)
        return replace(values, require_confirmation=on)
    if field == "knowledge_emojis":
        return replace(values, knowledge_emojis=tuple(shared.knowledge_emoji(words, values)))
    return replace(values, kudos_emojis=tuple(shared.kudos_emoji(words, values)))


def run_settings(inv: Invocation) -> None:
    """Change one setting, or (without arguments) all of them in a form."""
    with db.session() as session:
        community = inv.home
        assert community.id is not None
        values = shared.values_of(community)
        words = inv.args.split()
        if not words and inv.trigger_id:
            view = settings_modal(community_id=community.id, name=community.name, values=values)
            inv.client.views_open(trigger_id=inv.trigger_id, view=view)
            return
        changed: list[str] = []
        note = ""
        if words:
            wanted = apply_setting(values, words[0].lower(), words[1:])
            changed = shared.save(session, community, wanted)
            if not changed:
                note = f"Nothing changed: {LABELS[KEYS[words[0].lower()]]} is already that."
        message = render_settings(
            name=community.name, values=shared.values_of(community), changed=changed, note=note
        )
    inv.reply(message)


def run_pending(inv: Invocation) -> None:
    """List knowledge waiting for confirmation, with Confirm buttons."""
    with db.session() as session:
        community = inv.home
        message = pending_message(inv.client, session, community, viewer=inv.user_id)
    inv.reply(message)


SUBCOMMANDS = (
    Subcommand(
        "settings",
        "settings [<setting> <value>]",
        "change reactions, confirmation, emoji, kudos-quota, questions (a form)",
        FACILITATORS,
        run_settings,
        aliases=("config",),
        action="change settings",
    ),
    Subcommand(
        "pending",
        "pending",
        "knowledge waiting for confirmation, to confirm or reject",
        FACILITATORS,
        run_pending,
        action="confirm knowledge",
    ),
)
