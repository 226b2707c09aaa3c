"""Global middleware: the one Settings object and copbot's Web API client for every listener,
and the word to a person whose request the inbox could not take in (bot/door.py)."""

from __future__ import annotations

from collections.abc import Callable
from logging import Logger
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.config import Settings
from bot.door import NOT_TAKEN_IN
from bot.private import tell_requester
from bot.slack_client import CopbotWebClient
from bot.worker import NOT_TAKEN


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


def not_taken_in(
    context: BoltContext, body: dict[str, Any], logger: Logger, next: Callable[[], None]
) -> BoltResponse | None:
    """A button or shortcut the inbox could not take in: its person hears so, through the
    workspace's client, and no listener runs."""
    if not context.get(NOT_TAKEN):
        next()
        return None
    tell_requester(body, context["client"], NOT_TAKEN_IN, logger)
    return BoltResponse(status=200, body="")
