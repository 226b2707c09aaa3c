"""Every other event: Slack sends some copbot never asked for (a message subtype, app_rate_limited,
tokens_revoked). Acknowledged and settled in the inbox, so Slack does not send it again."""

from __future__ import annotations

from logging import Logger
from typing import Any


def other_event(event: dict[str, Any], logger: Logger) -> None:
    """Nothing to do."""
    logger.debug("no listener for a %s event", event.get("type"))
