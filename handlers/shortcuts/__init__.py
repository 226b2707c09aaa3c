"""Message and global shortcuts."""

from __future__ import annotations

from typing import Any

from bot.blocks.knowledge import SAVE_VIEW, SHARE_VIEW
from bot.errors import guarded
from handlers.shortcuts.knowledge import save_knowledge_shortcut, share_knowledge_shortcut


def register(app: Any) -> None:
    """Wire the shortcuts (their callback ids are also their modals' callback ids)."""
    app.shortcut(SAVE_VIEW)(guarded(save_knowledge_shortcut))
    app.shortcut(SHARE_VIEW)(guarded(share_knowledge_shortcut))
