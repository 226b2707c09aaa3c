"""The Web API client: Slack's URL or a stand-in's, retrying rate limits and dropped connections."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

RATE_LIMIT_RETRIES = 3
CONNECTION_RETRIES = 2
SERVER_ERROR_RETRIES = 2


def retry_handlers() -> list[RetryHandler]:
    """Retry on HTTP 429 (sleeping Retry-After), on connection errors and on 5xx."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


def make_client(*, token: str | None, base_url: str) -> WebClient:
    """A WebClient for `base_url` with copbot's retry policy.

    Args:
        token: the bot token, or None when tokens come from OAuth installations.
        base_url: the Web API base URL ending in '/', e.g. Settings.slack_api_url.
    """
    return WebClient(token=token, base_url=base_url, timeout=15, retry_handlers=retry_handlers())
