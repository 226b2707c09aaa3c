"""Event listeners: channel membership (reactions, messages and more come with their issues)."""

from __future__ import annotations

from typing import Any

from bot.errors import guarded
from handlers.events.membership import member_joined_channel, member_left_channel


def register(app: Any) -> None:
    """Wire the Events API listeners."""
    app.event("member_joined_channel")(guarded(member_joined_channel))
    app.event("member_left_channel")(guarded(member_left_channel))
