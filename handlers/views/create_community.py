"""The "New community" modal opened by `/cop create` with no name."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.community import (
    DOMAIN_ACTION,
    DOMAIN_BLOCK,
    NAME_ACTION,
    NAME_BLOCK,
    first_steps,
)
from bot.errors import CopError
from bot.private import tell
from handlers.shared.communities import check_can_create, start_community, validate_new_community
from handlers.shared.forms import field_error, metadata, text_value
from storage import db
from storage.markup import from_typed


def create_community_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
    """Validate the form (errors go back into the modal), then start the community."""
    team_id = context.team_id or body.get("team", {}).get("id", "")
    user_id = body["user"]["id"]
    channel_id = metadata(view)
    with db.session() as session:
        try:
            # a modal's inputs arrive raw: exactly what was typed
            new = validate_new_community(
                from_typed(text_value(view, NAME_BLOCK, NAME_ACTION)),
                from_typed(text_value(view, DOMAIN_BLOCK, DOMAIN_ACTION)),
            )
            facts = check_can_create(
                session=session,
                client=client,
                team_id=team_id,
                channel_id=channel_id,
                name=new.name,
            )
        except CopError as error:
            # Slack shows these under the field and keeps the modal open.
            ack(response_action="errors", errors={NAME_BLOCK: field_error(error)})
            return
        ack()
        community = start_community(
            session=session,
            client=client,
            team_id=team_id,
            user_id=user_id,
            facts=facts,
            new=new,
            timezone=context["settings"].default_timezone,
            bot_user_id=context.bot_user_id or "",
            logger=logger,
        )
    tell(client, channel_id=facts.id, user_id=user_id, text=first_steps(community.timezone))
