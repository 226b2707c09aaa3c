"""Web API clients for scheduled work: the bot token, or each workspace's OAuth installation."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from slack_sdk import WebClient

from bot.config import Settings
from bot.slack_client import make_client
from storage.installations import installation_store

# A burst of scheduled posts may meet many short 429s in a row; each is waited out, not failed
# (a Retry-After over slack_client.LONGEST_WAIT_SECONDS fails the call: the post is rescheduled).
POST_RATE_LIMIT_RETRIES = 20
# The Web API client of a workspace, by team id.
ClientFor = Callable[[str], WebClient]


def clients_for(settings: Settings) -> ClientFor:
    """A function giving the client of a workspace (one bot token, or its installation's)."""
    if not settings.oauth_enabled:
        client = make_client(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            rate_limit_retries=POST_RATE_LIMIT_RETRIES,
            timeout=settings.slack_timeout,
        )
        return lambda team_id: client
    store = installation_store(client_id=settings.slack_client_id or "")

    @cache
    def for_team(team_id: str) -> WebClient:
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        token = bot.bot_token if bot is not None else None
        return make_client(
            token=token,
            base_url=settings.slack_api_url,
            rate_limit_retries=POST_RATE_LIMIT_RETRIES,
            timeout=settings.slack_timeout,
        )

    return for_team
