"""The `/cop settings` form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.settings import (
    CONFIRM_BLOCK,
    KNOWLEDGE_BLOCK,
    KUDOS_BLOCK,
    QUESTIONS_BLOCK,
    QUOTA_BLOCK,
    REACTIONS_BLOCK,
    VALUE,
    SettingsValues,
)
from bot.errors import CopError
from bot.lookups import team_of
from bot.private import tell
from handlers.shared import settings as shared
from handlers.shared.forms import checked, field_error, metadata, small_number, text_value
from handlers.shared.roles import require_facilitator
from storage import communities, db
from storage.markup import to_mrkdwn


def read_form(view: dict[str, Any]) -> tuple[SettingsValues | None, dict[str, str]]:
    """The settings the form asks for, or the errors by block id, in words."""
    errors: dict[str, str] = {}

    def checked_value(block: str, read: Any) -> Any:
        try:
            return read(text_value(view, block, VALUE))
        except CopError as error:
            errors[block] = field_error(error)
            return None

    kudos = checked_value(KUDOS_BLOCK, lambda text: shared.parse_emoji(text.split()))
    knowledge = checked_value(KNOWLEDGE_BLOCK, lambda text: shared.parse_emoji(text.split()))
    reactions = checked_value(REACTIONS_BLOCK, shared.reactions)
    quota = checked_value(QUOTA_BLOCK, shared.kudos_quota)
    if kudos and knowledge and set(kudos) & set(knowledge):
        clash = sorted(set(kudos) & set(knowledge))[0]
        errors[KUDOS_BLOCK] = f":{clash}: also saves knowledge: one emoji can't do both."
    if errors:
        return None, errors
    return SettingsValues(
        knowledge_emojis=tuple(knowledge),
        reactions_required=reactions,
        require_confirmation=checked(view, CONFIRM_BLOCK, VALUE),
        kudos_emojis=tuple(kudos),
        kudos_daily_quota=quota,
        # a form opened before the setting existed has no such field: it stays on
        questions_enabled=checked(view, QUESTIONS_BLOCK, VALUE)
        if QUESTIONS_BLOCK in ((view.get("state") or {}).get("values") or {})
        else True,
    ), {}


def settings_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Apply the form, and tell the facilitator what changed."""
    team_id, user_id = team_of(context, body), body["user"]["id"]
    wanted, errors = read_form(view)
    if wanted is None:  # Slack shows each under its field and keeps the form open
        ack(response_action="errors", errors=errors)
        return
    ack()
    with db.session() as session:
        community = communities.get_community(
            session=session, team_id=team_id, community_id=small_number(metadata(view)) or 0
        )
        if community is None:
            raise CopError("That community no longer exists.")
        require_facilitator(session, client, community, user_id, what="change settings")
        changed = shared.save(session, community, wanted)
        home = communities.home_channel(session=session, community_id=community.id or 0)
        name = to_mrkdwn(community.name)
    text = (
        f":white_check_mark: Settings of *{name}* saved. " + "; ".join(changed) + "."
        if changed
        else f"Nothing changed in the settings of *{name}*."
    )
    tell(client, channel_id=home.channel_id if home else user_id, user_id=user_id, text=text)
