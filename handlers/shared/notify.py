"""Private notes copbot sends someone on its own (not an answer to what they did): a DM,
unless they muted copbot (`/cop mute`)."""

from __future__ import annotations

import logging
from enum import Enum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from storage import users

log = logging.getLogger("copbot")


class Told(Enum):
    SENT = "sent"
    MUTED = "muted"  # they asked copbot for no DMs
    REFUSED = "refused"  # Slack wouldn't deliver it (a Slack Connect guest, a deactivated user)


def tell_privately(
    client: WebClient,
    session: Session,
    *,
    team_id: str,
    user_id: str,
    text: str,
    blocks: list[Any] | None = None,
) -> Told:
    """A DM to `user_id` unless they muted copbot; says what became of it (never raises for
    Slack's refusal: the caller's work is done either way)."""
    if users.is_muted(session=session, team_id=team_id, user_id=user_id):
        return Told.MUTED
    session.commit()  # no transaction waits on Slack
    try:
        client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.warning("a private note was not delivered: %s", exc.response.get("error"))
        return Told.REFUSED
    return Told.SENT
