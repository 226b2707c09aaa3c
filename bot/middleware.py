"""Global middleware: the one Settings object and copbot's Web API client for every listener
(the inbox is bot/inbox.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from bot.config import Settings
from bot.slack_client import CopbotWebClient


def settings_middleware(settings: Settings) -> Callable[..., Any]:
    """Put the one Settings object in every listener's `context["settings"]`."""

    def attach_settings(context: BoltContext, next: Callable[[], None]) -> None:
        context["settings"] = settings
        next()

    return attach_settings


def client_middleware(app_client: CopbotWebClient) -> Callable[..., Any]:
    """Give every listener copbot's client, with the token Bolt's authorization chose.

    Bolt builds a plain WebClient per request (slack_bolt/app/app.py: _init_context), which
    would skip the rate-limit gates and leave the thread's idle database transactions open
    while Slack answers (bot.slack_client.CopbotWebClient)."""

    def attach_client(context: BoltContext, next: Callable[[], None]) -> None:
        given = context.client
        context["client"] = app_client.sibling(
            token=getattr(given, "token", None) or context.bot_token,
            team_id=getattr(given, "team_id", None) or context.team_id,
        )
        next()

    return attach_client
