"""Event listeners: membership, messages, reactions and mentions."""

from __future__ import annotations

import re
from typing import Any

from bot.errors import guarded
from handlers.events.channels import channel_gone
from handlers.events.home import app_home_opened
from handlers.events.membership import member_joined_channel, member_left_channel
from handlers.events.mentions import app_mention
from handlers.events.messages import message
from handlers.events.other import other_event
from handlers.events.people import user_change
from handlers.events.reactions import reaction_added, reaction_removed
from scheduler.pause import PAUSING_EVENTS


def register(app: Any) -> None:
    """Wire the Events API listeners."""
    app.event("member_joined_channel")(guarded(member_joined_channel))
    app.event("member_left_channel")(guarded(member_left_channel))
    app.event("message")(guarded(message))
    app.event("reaction_added")(guarded(reaction_added))
    app.event("reaction_removed")(guarded(reaction_removed))
    app.event("app_mention")(guarded(app_mention))
    app.event("app_home_opened")(guarded(app_home_opened))
    app.event("user_change")(guarded(user_change))
    for gone in PAUSING_EVENTS:
        app.event(gone)(guarded(channel_gone))
    # last: Bolt runs the first listener that matches
    app.event(re.compile(".*"))(guarded(other_event))
