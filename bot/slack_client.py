"""The Web API client: Slack's URL or a stand-in's, retrying what is safe to retry.

Rate limits: a 429 closes a gate for exactly its Retry-After (no random jitter) and every call
waits for its gate before going out, so calls that share a limit back off together and resume
together instead of each thread sleeping on its own and hitting the limit again. Slack limits
chat.postMessage per channel and other methods per workspace, so a gate is per method, and
per channel for chat.postMessage: one channel's wait never holds up a post to another. A
Retry-After longer than `longest_wait` is not waited for: the call fails with its 429 and
the caller reschedules (a scheduled post) or says so (a reply).

Connection errors and 5xx answers are retried, except for calls that make something new in
Slack (a message, an upload): when the answer to one of those is lost, Slack may have made it,
and repeating it would make it twice. Those are retried only when the request provably never
left (the connection was refused); their callers decide, knowing what the post was for.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.error import URLError

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

from storage import db

RATE_LIMIT_RETRIES = 3
CONNECTION_RETRIES = 2
SERVER_ERROR_RETRIES = 2
TIMEOUT_SECONDS = 15
LONGEST_WAIT_SECONDS = 30.0
# Calls that make something new: repeating one whose answer was lost may make it twice.
NOT_REPEATABLE = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "chat.meMessage",
        "files.completeUploadExternal",
        "conversations.canvases.create",
        "canvases.create",
    }
)
# Limited per channel by Slack: its gate is per channel too.
PER_CHANNEL = frozenset({"chat.postMessage"})


def method_of(request: HttpRequest) -> str:
    """The Web API method a request calls ("chat.postMessage"), from its URL."""
    return request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def retry_after(headers: Mapping[str, Any] | None, *, default: float = 1.0) -> float:
    """The Retry-After of a 429 in seconds, from its headers (each value a string or a list
    of them, as slack_sdk's two kinds of response hold them); `default` when Slack gives
    none or an unreadable one."""
    for name, value in (headers or {}).items():
        if name.lower() != "retry-after":
            continue
        first = value[0] if isinstance(value, list | tuple) and value else value
        try:
            return max(0.0, float(first))
        except (TypeError, ValueError):
            return default
    return default


class RateLimitGate:
    """Gates closed until a moment, one per key; opened by time alone.

    The key of the call being made on this thread is set by CopbotWebClient.api_call, so the
    retry handler closes the gate of the call that met the 429.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_at: dict[str, float] = {}
        self._current = threading.local()

    @property
    def current(self) -> str:
        return str(getattr(self._current, "key", ""))

    @current.setter
    def current(self, key: str) -> None:
        self._current.key = key

    def close_for(self, seconds: float, key: str | None = None) -> None:
        key = self.current if key is None else key
        with self._lock:
            until = time.monotonic() + max(0.0, seconds)
            self._open_at[key] = max(self._open_at.get(key, 0.0), until)

    def wait(self, key: str | None = None) -> None:
        key = self.current if key is None else key
        while True:
            with self._lock:
                delay = self._open_at.get(key, 0.0) - time.monotonic()
            if delay <= 0:
                return
            time.sleep(delay)


class GateRateLimitHandler(RetryHandler):
    """On HTTP 429: close the call's gate for Retry-After, wait for it, and try again.

    A Retry-After over `longest_wait` is not waited out here: the 429 reaches the caller.
    """

    def __init__(
        self,
        gate: RateLimitGate,
        max_retry_count: int = RATE_LIMIT_RETRIES,
        longest_wait: float = LONGEST_WAIT_SECONDS,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.gate = gate
        self.longest_wait = longest_wait

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        seconds = retry_after(response.headers)
        self.gate.close_for(seconds)  # later calls wait even when this one gives up
        return seconds <= self.longest_wait

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        self.gate.wait()
        state.next_attempt_requested = True
        state.increment_current_attempt()


def never_sent(error: Exception | None) -> bool:
    """Whether a connection error proves the request never reached the server."""
    reason = error.reason if isinstance(error, URLError) else error
    return isinstance(reason, ConnectionRefusedError | socket.gaierror)


class SafeConnectionErrorRetryHandler(ConnectionErrorRetryHandler):
    """Connection errors are retried; for NOT_REPEATABLE calls only when nothing was sent."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if method_of(request) in NOT_REPEATABLE and not never_sent(error):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


class SafeServerErrorRetryHandler(ServerErrorRetryHandler):
    """5xx answers are retried, except for NOT_REPEATABLE calls (Slack may have made it)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if method_of(request) in NOT_REPEATABLE:
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


class CopbotWebClient(WebClient):
    """A WebClient whose calls each free the thread's idle database connections
    (storage.db.release_idle) and wait for their rate-limit gate first."""

    def __init__(self, *, gate: RateLimitGate, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    def sibling(self, *, token: str | None, team_id: str | None) -> CopbotWebClient:
        """A client like this one (same gates, retries and timeout) for another token: what
        Bolt builds for each request as a plain WebClient, without the gates or the release."""
        return CopbotWebClient(
            gate=self.gate,
            token=token,
            base_url=self.base_url,
            timeout=self.timeout,
            ssl=self.ssl,
            proxy=self.proxy,
            headers=self.headers,
            team_id=team_id,
            logger=self.logger,
            retry_handlers=list(self.retry_handlers or []),
        )

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> SlackResponse:
        db.release_idle()  # no pooled database connection waits on Slack with us
        self.gate.current = gate_key(api_method, kwargs)
        self.gate.wait()
        return super().api_call(api_method, *args, **kwargs)


def gate_key(api_method: str, call: dict[str, Any]) -> str:
    """Which gate a call waits for: its method's, or for chat.postMessage its channel's."""
    if api_method not in PER_CHANNEL:
        return api_method
    for part in ("json", "params", "data"):
        values = call.get(part)
        if isinstance(values, dict) and values.get("channel"):
            return f"{api_method} {values['channel']}"
    return api_method


def retry_handlers(
    gate: RateLimitGate,
    *,
    rate_limit_retries: int = RATE_LIMIT_RETRIES,
    longest_wait: float = LONGEST_WAIT_SECONDS,
) -> list[RetryHandler]:
    """Retry 429s (together, after Retry-After), connection errors and 5xx where safe."""
    return [
        GateRateLimitHandler(gate, max_retry_count=rate_limit_retries, longest_wait=longest_wait),
        SafeConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        SafeServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


def make_client(
    *,
    token: str | None,
    base_url: str,
    rate_limit_retries: int = RATE_LIMIT_RETRIES,
    timeout: int = TIMEOUT_SECONDS,
    longest_wait: float = LONGEST_WAIT_SECONDS,
) -> CopbotWebClient:
    """A WebClient for `base_url` with copbot's retry policy and its own rate-limit gates.

    Args:
        token: the bot token, or None when tokens come from OAuth installations.
        base_url: the Web API base URL ending in '/', e.g. Settings.slack_api_url.
        rate_limit_retries: how many 429s one call waits out (scheduled posts wait longer).
        timeout: seconds to wait for Slack's answer before the call fails.
        longest_wait: the longest Retry-After waited out; a longer one fails the call.
    """
    gate = RateLimitGate()
    return CopbotWebClient(
        gate=gate,
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=retry_handlers(
            gate, rate_limit_retries=rate_limit_retries, longest_wait=longest_wait
        ),
    )
