"""The sandbox page's HTTP side: static files and a small JSON API, served by the stand-in.

GET  /                      the page (static/index.html); /static/<file> its scripts, styles, icon
GET  /sandbox/state         ?user=U&channel=C&thread=TS: what the page shows (page.py)
GET  /sandbox/file/<id>     an uploaded file's bytes (exports, charts)
POST /sandbox/send          {user, channel, text, thread_ts?}: a message or a /cop command
POST /sandbox/react         {user, channel, ts, name}: toggle a reaction
POST /sandbox/action        {user, source, action, channel?, ts?, view_id?}: a button or select
POST /sandbox/submit        {user, view_id, values}: submit a modal
POST /sandbox/close         {user, view_id}: close a modal
POST /sandbox/home          {user}: open copbot's App Home
POST /sandbox/shortcut      {user, callback_id, channel?, ts?}: a global or message shortcut
POST /sandbox/join          {user, channel}: join a public channel
POST /sandbox/clock/next    {}: jump to the next scheduled post and run the scheduler

POSTs answer {"ok": true, ...} or {"ok": false, "error": "<one friendly line>"}.
"""

from __future__ import annotations

import json
import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from .driver import Sandbox, SandboxError
from .page import page_state
from .slack.wire import Answer

STATIC = Path(__file__).with_name("static")
MAX_BODY = 1_000_000
log = logging.getLogger("copbot.sandbox")


class SandboxPages:
    """Answers the page's requests; plugged into the stand-in as its `pages`."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.posts: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "/sandbox/send": self.send,
            "/sandbox/react": self.react,
            "/sandbox/action": self.action,
            "/sandbox/submit": self.submit,
            "/sandbox/close": self.close,
            "/sandbox/home": self.home,
            "/sandbox/shortcut": self.shortcut,
            "/sandbox/join": self.join,
            "/sandbox/clock/next": self.clock_next,
        }

    def __call__(self, verb: str, path: str, query: str, raw: bytes) -> Answer | None:
        if verb == "GET":
            return self.get(path, dict(parse_qsl(query)))
        handler = self.posts.get(path)
        if handler is None:
            return None
        try:
            body = json.loads(raw or b"{}")
            if not isinstance(body, dict) or len(raw) > MAX_BODY:
                raise ValueError
        except ValueError:
            return Answer.of({"ok": False, "error": "the page sent something unreadable"}, 400)
        try:
            result = handler(body)
        except SandboxError as exc:
            return Answer.of({"ok": False, "error": str(exc)})
        except (KeyError, TypeError):
            return Answer.of({"ok": False, "error": "something the page sent is missing"}, 400)
        except Exception:  # a bug of ours: logged once, and the page says so
            log.exception("sandbox: %s failed on %r", path, body)
            return Answer.of({"ok": False, "error": "the sandbox failed; see its log"}, 500)
        finally:
            self.sandbox.standin.touch()
        return Answer.of({"ok": True, **result})

    def get(self, path: str, params: dict[str, str]) -> Answer | None:
        if path in ("/", "/index.html"):
            return _static("index.html")
        if path.startswith("/static/"):
            return _static(path.removeprefix("/static/"))
        if path == "/favicon.ico":  # what a browser asks for before it reads the page's <link>
            return _static("favicon.svg")
        if path.startswith("/sandbox/file/"):
            return self.file(path.removeprefix("/sandbox/file/"))
        if path == "/sandbox/state":
            user = self.sandbox.person_or_first(params.get("user") or "")
            state = page_state(self.sandbox, user, params.get("channel"), params.get("thread"))
            return Answer.of({"ok": True, **state})
        return None

    def file(self, file_id: str) -> Answer | None:
        with self.sandbox.standin.lock:
            record = self.sandbox.standin.files.get(file_id)
            content = record.get("content") if record else None
            name = str(record.get("name") or "file") if record else ""
        if content is None:
            return None
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith("text/") or name.endswith((".md", ".csv", ".json")):
            kind = f"{kind}; charset=utf-8"  # copbot's exports are UTF-8
        return Answer(200, content, kind)

    # ----- POSTs: each takes the JSON body and returns extra answer fields ------------------------
    def send(self, body: dict[str, Any]) -> dict[str, Any]:
        kind = self.sandbox.send(
            body["user"], body["channel"], str(body.get("text") or ""), body.get("thread_ts")
        )
        return {"sent": kind}

    def react(self, body: dict[str, Any]) -> dict[str, Any]:
        added = self.sandbox.react(body["user"], body["channel"], body["ts"], body["name"])
        return {"added": added}

    def action(self, body: dict[str, Any]) -> dict[str, Any]:
        self.sandbox.action(
            body["user"],
            source=str(body["source"]),
            action=body["action"],
            channel=body.get("channel"),
            ts=body.get("ts"),
            view_id=body.get("view_id"),
        )
        return {}

    def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        self.sandbox.submit(body["user"], str(body["view_id"]), body.get("values") or {})
        return {}

    def close(self, body: dict[str, Any]) -> dict[str, Any]:
        self.sandbox.close(body["user"], str(body["view_id"]))
        return {}

    def home(self, body: dict[str, Any]) -> dict[str, Any]:
        self.sandbox.open_home(body["user"])
        return {}

    def shortcut(self, body: dict[str, Any]) -> dict[str, Any]:
        self.sandbox.shortcut(
            body["user"], str(body["callback_id"]), channel=body.get("channel"), ts=body.get("ts")
        )
        return {}

    def join(self, body: dict[str, Any]) -> dict[str, Any]:
        self.sandbox.join(body["user"], body["channel"])
        return {}

    def clock_next(self, body: dict[str, Any]) -> dict[str, Any]:
        at, summary = self.sandbox.jump()
        return {"at": at.isoformat(timespec="seconds"), "summary": summary}


def _static(name: str) -> Answer | None:
    path = (STATIC / name).resolve()
    if not path.is_file() or STATIC.resolve() not in path.parents:
        return None
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".js":
        kind = "text/javascript"
    textual = kind.startswith("text/") or kind.endswith(("+xml", "json"))
    charset = "; charset=utf-8" if textual else ""
    return Answer(200, path.read_bytes(), kind + charset, {"Cache-Control": "no-store"})
