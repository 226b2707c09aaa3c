"""The Web API client: Slack's URL or a stand-in's, retrying rate limits and dropped connections.

Rate limits are shared: a 429 closes one gate for every thread using the client for exactly
its Retry-After (no random jitter), and every call waits for that gate before going out. So
a burst of scheduled posts backs off together and resumes together, instead of each thread
sleeping on its own and hitting the limit again.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

RATE_LIMIT_RETRIES = 3
CONNECTION_RETRIES = 2
SERVER_ERROR_RETRIES = 2


class RateLimitGate:
    """Closed for everyone until a moment; opened by time alone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_at = 0.0

    def close_for(self, seconds: float) -> None:
        with self._lock:
            self._open_at = max(self._open_at, time.monotonic() + max(0.0, seconds))

    def wait(self) -> None:
        while True:
            with self._lock:
                delay = self._open_at - time.monotonic()
            if delay <= 0:
                return
            time.sleep(delay)


class GateRateLimitHandler(RetryHandler):
    """On HTTP 429: close the shared gate for Retry-After, wait for it, and try again."""

    def __init__(self, gate: RateLimitGate, max_retry_count: int = RATE_LIMIT_RETRIES) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.gate = gate

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code == 429

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        headers = {k.lower(): v for k, v in (response.headers if response else {}).items()}
        try:
            seconds = float((headers.get("retry-after") or ["1"])[0])
        except ValueError:
            seconds = 1.0
        self.gate.close_for(seconds)
        self.gate.wait()
        state.next_attempt_requested = True
        state.increment_current_attempt()


class CopbotWebClient(WebClient):
    """A WebClient whose calls all wait for its shared rate-limit gate first."""

    def __init__(self, *, gate: RateLimitGate, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    def api_call(self, *args: Any, **kwargs: Any) -> SlackResponse:
        self.gate.wait()
        return super().api_call(*args, **kwargs)


def retry_handlers(
    gate: RateLimitGate, *, rate_limit_retries: int = RATE_LIMIT_RETRIES
) -> list[RetryHandler]:
    """Retry on HTTP 429 (together, after Retry-After), on connection errors and on 5xx."""
    return [
        GateRateLimitHandler(gate, max_retry_count=rate_limit_retries),
        ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


def make_client(
    *, token: str | None, base_url: str, rate_limit_retries: int = RATE_LIMIT_RETRIES
) -> WebClient:
    """A WebClient for `base_url` with copbot's retry policy and its own rate-limit gate.

    Args:
        token: the bot token, or None when tokens come from OAuth installations.
        base_url: the Web API base URL ending in '/', e.g. Settings.slack_api_url.
        rate_limit_retries: how many 429s one call waits out (scheduled posts wait longer).
    """
    gate = RateLimitGate()
    return CopbotWebClient(
        gate=gate,
        token=token,
        base_url=base_url,
        timeout=15,
        retry_handlers=retry_handlers(gate, rate_limit_retries=rate_limit_retries),
    )
