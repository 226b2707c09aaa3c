"""Global middleware: settings for listeners, and skipping events Slack delivers twice."""

from __future__ import annotations

from collections.abc import Callable
from logging import Logger
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.config import Settings
from storage import db
from storage.events import record_event


def settings_middleware(settings: Settings) -> Callable[..., Any]:
    """Put the one Settings object in every listener's `context["settings"]`."""

    def attach_settings(context: BoltContext, next: Callable[[], None]) -> None:
        context["settings"] = settings
        next()

    return attach_settings


def skip_redelivered_events(
    body: dict[str, Any], logger: Logger, next: Callable[[], None]
) -> BoltResponse | None:
    """Acknowledge and drop an event whose event_id was already processed.

    Slack re-sends events it thinks were not acknowledged in time (X-Slack-Retry-Num over
    HTTP) and Socket Mode may deliver the same envelope again; the event_id stays the same.
    The receipt is written in its own short session, closed before any listener runs.
    """
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if not event_id:
        next()
        return None
    with db.session() as session:
        fresh = record_event(session=session, event_id=event_id, team_id=body.get("team_id", ""))
    if not fresh:
        logger.info("skipping re-delivered event %s", event_id)
        return BoltResponse(status=200, body="")
    next()
    return None
