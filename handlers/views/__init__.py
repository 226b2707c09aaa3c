"""view_submission and block_actions listeners."""

from __future__ import annotations

from typing import Any

from bot.blocks.community import CREATE_VIEW
from bot.errors import guarded
from handlers.views.create_community import create_community_submitted


def register(app: Any) -> None:
    """Wire modal submissions."""
    app.view(CREATE_VIEW)(guarded(create_community_submitted))
