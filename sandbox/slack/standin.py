"""A real HTTP stand-in for the Slack Web API: slack_sdk's WebClient works against it unchanged.

Usage::

    with SlackStandIn() as slack:
        slack.add_channel("C1", "general", members=[slack.bot_user_id])
        WebClient(token=slack.bot_token, base_url=slack.api_url).chat_postMessage(...)
        assert slack.last_message("C1")["text"] == ...
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from .api_chat import CHAT, post_as
from .api_conversations import CONVERSATIONS
from .api_files import FILES, receive_upload
from .api_views import VIEWS
from .checks import (
    MAX_MESSAGE_BLOCKS,
    SlackError,
    block_problems,
    load_required,
    missing_arguments,
)
from .limits import Clock, RateLimit
from .params import Handler
from .payloads import new_trigger_id
from .shapes import Actor
from .socket_mode import SocketMode
from .state import Workspace
from .wire import Answer, Failure, bearer, failure_answer, parse_args, uploaded_bytes

logger = logging.getLogger(__name__)

METHODS: dict[str, Handler] = {**CHAT, **CONVERSATIONS, **FILES, **VIEWS}
# Request headers worth keeping on a Call (names as sent, case-insensitive in lookups).
SKIPPED_HEADERS = {"user-agent", "host", "content-length", "accept-encoding", "connection"}
T = TypeVar("T")


@dataclass
class Call:
    """One request to /api/<method>, as the stand-in saw and answered it."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float
    failed: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    response: dict[str, Any] | None = None


class SlackStandIn(Workspace):
    """The Slack Web API on 127.0.0.1, with a workspace model, call log and failure injection."""

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        team_name: str = "Test Team",
        bot_token: str = "xoxb-test-token",
        bot_user_id: str = "UCOPBOT",
        bot_id: str = "BCOPBOT",
        app_id: str = "A0001",
        spec_path: Path | None = None,
        port: int = 0,
    ) -> None:
        super().__init__(
            team_id=team_id,
            team_name=team_name,
            bot_token=bot_token,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
        )
        self._required = load_required(spec_path) if spec_path else None
        self.spec_loaded = self._required is not None
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._limits: dict[str, RateLimit] = {}
        self._delays: dict[str, deque[float]] = defaultdict(deque)
        self._observers: list[Callable[[str, dict[str, Any]], None]] = []
        self._response_urls: dict[str, dict[str, Any]] = {}
        self._wanted_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.socket = SocketMode(self)  # apps.connections.open and its websocket

    # ----- lifecycle ---------------------------------------------------------------------
    def start(self) -> SlackStandIn:
        if self._server is None:
            self._server = _Server(self, self._wanted_port)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.01},
                name=f"slack-standin-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self.socket.stop()
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the Slack stand-in is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The WebClient base_url: slack_sdk appends the method name, so it ends with '/'."""
        return f"{self.base_url}/api/"

    # ----- what tests look at ----------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def clear_calls(self) -> None:
        with self.lock:
            self.calls.clear()

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Poll until predicate() is truthy and return its value; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                with self.lock:
                    seen = [call.method for call in self.calls[-20:]]
                name = getattr(predicate, "__name__", repr(predicate))
                raise AssertionError(
                    f"{name} still {value!r} after {timeout}s; last calls to the stand-in: {seen}"
                )
            time.sleep(0.01)

    def fail(
        self,
        method: str,
        *,
        error: str | None = None,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
        performed: bool = False,
    ) -> None:
        """Make the next `times` calls to `method` fail: 429, a 5xx, or `ok: false, error`.

        With `performed`, each call still takes effect (a message is posted) and only its
        answer is the failure: Slack did it, the caller cannot know.
        """
        if status == 200 and not error:
            raise ValueError("a failure with status 200 needs an error code")
        with self.lock:
            self._failures[method].extend([Failure(error, status, retry_after, performed)] * times)

    def slow(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next `times` calls to `method` `seconds` late; each takes effect at once.

        A client whose timeout is shorter sees no answer, though Slack did what it asked.
        """
        with self.lock:
            self._delays[method].extend([seconds] * times)

    def observe(self, observer: Callable[[str, dict[str, Any]], None]) -> None:
        """Call `observer(method, args)` as each Web API call arrives, before it is answered."""
        with self.lock:
            self._observers.append(observer)

    def limit_rate(
        self,
        method: str = "chat.postMessage",
        *,
        per_channel_per_second: float | None = None,
        workspace_per_second: float | None = None,
        burst: float | None = None,
        channel_burst: float = 1.0,
        clock: Clock = time.monotonic,
    ) -> None:
        """Answer calls to `method` over Slack-like limits with 429 + Retry-After (off by default).

        Token buckets (limits.py): per channel (the `channel` argument as sent),
        `channel_burst` calls at once then `per_channel_per_second`; workspace-wide, `burst`
        calls at once (default: one second's worth) then `workspace_per_second`. A call over a
        limit spends nothing, is answered 429 with Retry-After in whole seconds (rounded up,
        at least 1) and `{"ok": false, "error": "ratelimited"}`, and is recorded as a Call
        with failed="ratelimited". Queued fail() answers come first. With neither rate given,
        the method is unlimited again.
        """
        with self.lock:
            if per_channel_per_second is None and workspace_per_second is None:
                self._limits.pop(method, None)
                return
            if burst is None:
                burst = max(1.0, workspace_per_second or 1.0)
            self._limits[method] = RateLimit(
                per_channel_per_second, workspace_per_second, burst, channel_burst, clock
            )

    def rate_limited(self, method: str = "chat.postMessage") -> Counter[str]:
        """Calls to `method` answered 429 by limit_rate(), by the limit that was short:
        "channel", "workspace" or "channel+workspace" (Slack does not say; tests may ask)."""
        with self.lock:
            limit = self._limits.get(method)
            return Counter(limit.rejected) if limit is not None else Counter()

    def new_response_url(
        self, channel: str | None = None, *, user: str | None = None, origin: str | None = None
    ) -> str:
        """A response_url; `in_channel` responses to it are posted in `channel`.

        `origin` is the ts of the message (or ephemeral) the response_url was given for:
        what replace_original / delete_original act on.
        """
        key = uuid.uuid4().hex
        with self.lock:
            self._response_urls[key] = {"channel": channel, "user": user, "origin": origin}
        return f"{self.base_url}/response/{key}"

    def new_trigger_id(self) -> str:
        return new_trigger_id()

    # ----- request handling ----------------------------------------------------------------
    def _handle(self, request: _RequestHandler) -> None:
        url = urlsplit(request.path)
        raw = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        if url.path.startswith("/api/"):
            answer = self._api(request, url.path.removeprefix("/api/"), url.query, raw)
        elif url.path.startswith("/response/"):
            answer = self._response(url.path.removeprefix("/response/"), raw)
        elif url.path.startswith("/upload/") and request.command == "POST":
            content_type = request.headers.get("Content-Type", "")
            answer = self._upload(url.path.removeprefix("/upload/"), raw, content_type)
        else:
            answer = self.route(request.command, url.path, url.query, raw) or Answer.text(
                404, "not found"
            )
        request.send_response(answer.status)
        request.send_header("Content-Type", answer.content_type)
        request.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(answer.body)

    def _api(self, request: _RequestHandler, method: str, query: str, raw: bytes) -> Answer:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in SKIPPED_HEADERS}
        at = time.time()
        args: dict[str, Any] = {}
        unreadable: SlackError | None = None
        try:
            args = parse_args(query, raw, request.headers.get("Content-Type", ""))
        except SlackError as exc:
            unreadable = exc
        token = bearer(request.headers.get("Authorization")) or args.get("token") or None
        args.pop("token", None)
        with self.lock:
            observers = list(self._observers)
        for observer in observers:
            observer(method, args)
        with self.lock:
            delays = self._delays.get(method)
            delay = delays.popleft() if delays else 0.0
            queued = self._failures.get(method)
            failure = queued.popleft() if queued else None
            limit = self._limits.get(method)
            if failure is None and unreadable is None and limit is not None:
                wait = limit.admit(str(args.get("channel") or "") or None)
                failure = Failure(None, 429, wait) if wait is not None else None
        failed = None
        if failure is not None:
            if failure.performed and unreadable is None:
                self._answer(method, token, args)
            answer, failed = failure_answer(failure)
        elif unreadable is not None:
            answer = Answer.of(unreadable.body())
        else:
            answer = Answer.of(self._answer(method, token, args))
        json_body = answer.content_type.startswith("application/json")
        call = Call(
            method, args, token, at, failed, headers, json.loads(answer.body) if json_body else None
        )
        with self.lock:
            self.calls.append(call)
        if delay:
            time.sleep(delay)
        return answer

    def _answer(self, method: str, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        if method == "apps.connections.open":
            try:
                return {"ok": True, **self.socket.open(token)}
            except SlackError as exc:
                return exc.body()
        handler = METHODS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method", "req_method": method}
        try:
            actor = self._authenticate(method, token)
            missing_arguments(self._required, method, args)
            with self.lock:
                return {"ok": True, **handler(self, actor, args)}
        except SlackError as exc:
            return exc.body()
        except Exception:
            logger.exception("Slack stand-in: %s failed on %r", method, args)
            return {"ok": False, "error": "fatal_error"}

    def _authenticate(self, method: str, token: str | None) -> Actor:
        if method == "api.test":
            return Actor(token or "", self.team_id, "")
        if not token:
            raise SlackError("not_authed")
        if token == self.socket.app_token:  # an app-level token opens connections, nothing else
            raise SlackError("not_allowed_token_type")
        actor = self.actor_for(token)
        if actor is None:
            raise SlackError("invalid_auth")
        return actor

    def route(self, verb: str, path: str, query: str, raw: bytes) -> Answer | None:
        """Another page this server answers (the sandbox's web page); None: not found."""
        return None

    def upload_url(self, file_id: str) -> str:
        return f"{self.base_url}/upload/{file_id}"

    def _upload(self, file_id: str, raw: bytes, content_type: str) -> Answer:
        """A POST of a file's bytes to the upload_url files.getUploadURLExternal gave out."""
        content = uploaded_bytes(raw, content_type)
        with self.lock:
            if not receive_upload(self, file_id, content):
                return Answer.text(404, "not found")
        return Answer.text(200, f"OK - {len(content)}")

    def _response(self, key: str, raw: bytes) -> Answer:
        """A POST to a response_url (what Bolt's respond() does)."""
        with self.lock:
            target = self._response_urls.get(key)
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = raw.decode("utf-8", "replace")
        record = {"url": f"{self.base_url}/response/{key}", "body": body, "at": time.time()}
        record.update(target or {})
        with self.lock:
            self.responses.append(record)
        if target is None:
            return Answer.text(404, "no_service")
        if not isinstance(body, dict):
            return Answer.text(400, "invalid_payload")
        if "blocks" in body and block_problems(body["blocks"], limit=MAX_MESSAGE_BLOCKS):
            return Answer.text(400, "invalid_blocks")
        channel = target["channel"]
        if body.get("response_type") == "in_channel" and channel in self.channels:
            # Slack posts in_channel responses even where the bot is not a member.
            with self.lock:
                try:
                    post_as(self, self.tokens[self.bot_token], self.channels[channel], body)
                except SlackError as exc:
                    return Answer.text(404, exc.error)
        return Answer.text(200, "ok")


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 10  # a client that never sends its body cannot hold stop() forever

    def do_POST(self) -> None:
        self.server.standin._handle(self)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    # Non-daemon request threads are joined by server_close(): stop() leaves no thread behind.
    daemon_threads = False
    # socketserver's default listen backlog is 5: under load (bench/load.py) the kernel would
    # drop the app's connections and its client would retry them seconds later
    request_queue_size = 1024

    def __init__(self, standin: SlackStandIn, port: int = 0) -> None:
        self.standin = standin
        super().__init__(("127.0.0.1", port), _RequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("Slack stand-in: error answering %s", client_address, exc_info=True)
