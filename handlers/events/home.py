"""app_home_opened: the person's own copbot page."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from handlers.shared.home import publish_home
from storage import db


def app_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Publish the home tab each time it is opened (the Messages tab needs nothing)."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    with db.session() as session:
        publish_home(
            client, session, team_id=context.team_id or event.get("team", ""), user_id=event["user"]
        )
