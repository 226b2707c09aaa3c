"""view_submission and block_actions listeners."""

from __future__ import annotations

from typing import Any

from bot.blocks.community import CREATE_VIEW
from bot.blocks.forget import FORGET_CANCEL, FORGET_CONFIRM
from bot.blocks.home import HOME_SEARCH, HOME_SHARE, SEARCH_VIEW
from bot.blocks.knowledge import (
    ENDORSE_UNDO,
    SAVE_VIEW,
    SEARCH_MORE,
    SEARCH_PREVIOUS,
    SHARE_VIEW,
    SNIPPET_SHOW,
)
from bot.blocks.questions import QUESTION_CLOSE, QUESTION_REOPEN
from bot.blocks.schedule import SCHEDULE_VIEW
from bot.blocks.settings import CONFIRM_SNIPPET, REJECT_SNIPPET, SETTINGS_VIEW
from bot.errors import guarded
from handlers.views.confirm import confirm_snippet_clicked, reject_snippet_clicked
from handlers.views.create_community import create_community_submitted
from handlers.views.endorse import endorse_undo_clicked
from handlers.views.forget import forget_me_cancelled, forget_me_confirmed
from handlers.views.home import home_search_clicked, home_search_submitted, home_share_clicked
from handlers.views.knowledge import save_knowledge_submitted, share_knowledge_submitted
from handlers.views.questions import question_button_clicked
from handlers.views.schedule import schedule_submitted
from handlers.views.search_pages import search_page_clicked
from handlers.views.settings import settings_submitted
from handlers.views.snippet import snippet_show_clicked


def register(app: Any) -> None:
    """Wire modal submissions and buttons."""
    app.view(CREATE_VIEW)(guarded(create_community_submitted))
    app.view(SAVE_VIEW)(guarded(save_knowledge_submitted))
    app.view(SHARE_VIEW)(guarded(share_knowledge_submitted))
    app.view(SCHEDULE_VIEW)(guarded(schedule_submitted))
    app.view(SETTINGS_VIEW)(guarded(settings_submitted))
    app.action(SEARCH_MORE)(guarded(search_page_clicked))
    app.action(SEARCH_PREVIOUS)(guarded(search_page_clicked))
    app.action(SNIPPET_SHOW)(guarded(snippet_show_clicked))
    app.action(ENDORSE_UNDO)(guarded(endorse_undo_clicked))
    app.action(CONFIRM_SNIPPET)(guarded(confirm_snippet_clicked))
    app.action(REJECT_SNIPPET)(guarded(reject_snippet_clicked))
    app.action(QUESTION_CLOSE)(guarded(question_button_clicked))
    app.action(QUESTION_REOPEN)(guarded(question_button_clicked))
    app.action(HOME_SHARE)(guarded(home_share_clicked))
    app.action(FORGET_CONFIRM)(guarded(forget_me_confirmed))
    app.action(FORGET_CANCEL)(guarded(forget_me_cancelled))
    app.action(HOME_SEARCH)(guarded(home_search_clicked))
    app.view(SEARCH_VIEW)(guarded(home_search_submitted))
