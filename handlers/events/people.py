"""user_change: a person's name changed in Slack, so copbot's cached profile follows at once."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from storage import db, users


def user_change(event: dict[str, Any], context: BoltContext) -> None:
    """Refresh the cached profile from the user object Slack sends with the event."""
    user = event.get("user")
    if not isinstance(user, dict) or not user.get("id"):
        return
    # keyed by the workspace that received it: a Slack Connect guest belongs to another team
    team_id = context.team_id or str(user.get("team_id") or "")
    with db.session() as session:
        users.save_profile(session=session, team_id=team_id, user=user)
