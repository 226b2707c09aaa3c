"""The sandbox's Slack side kept in a JSON file beside sandbox.db, so a restart loses nothing."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from storage.clock import ahead, run_ahead

from .slack.shapes import Channel
from .workspace import SandboxStandIn

FORMAT = 1


def snapshot(ws: SandboxStandIn) -> dict[str, Any]:
    """Everything a person could see again after a restart, as JSON-ready data."""
    with ws.lock:
        files = {
            file_id: {**meta, "content": _b64(meta.get("content"))}
            for file_id, meta in ws.files.items()
        }
        return {
            "format": FORMAT,
            "users": ws.users,
            "channels": [dataclasses.asdict(channel) for channel in ws.channels.values()],
            "ephemerals": ws.ephemerals,
            "views": ws.views,
            "home_views": ws.home_views,
            "view_triggers": ws.view_triggers,
            "trigger_users": ws.trigger_users,
            "closed_views": sorted(ws.closed_views),
            "files": files,
            "last_ts": ws._last_ts,
            "next_id": ws.next_id,
            "clock_ahead": ahead().total_seconds(),
        }


def restore(ws: SandboxStandIn, data: dict[str, Any]) -> None:
    """Load a snapshot() into a fresh stand-in, and set the clock where it was."""
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown sandbox file format {data.get('format')!r}")
    with ws.lock:
        ws.users.update(data["users"])
        ws.channels = {c["id"]: Channel(**c) for c in data["channels"]}
        ws.ephemerals = list(data["ephemerals"])
        ws.views = dict(data["views"])
        ws.home_views = {user: ws.views.get(v["id"], v) for user, v in data["home_views"].items()}
        ws.view_triggers = dict(data["view_triggers"])
        ws.trigger_users = dict(data["trigger_users"])
        ws.closed_views = set(data["closed_views"])
        ws.files = {
            file_id: {**meta, "content": _unb64(meta.get("content"))}
            for file_id, meta in data["files"].items()
        }
        ws._last_ts = int(data["last_ts"])
        ws.next_id = int(data["next_id"])
    run_ahead(timedelta(seconds=float(data.get("clock_ahead") or 0)))


def save(ws: SandboxStandIn, path: Path) -> None:
    """Write the snapshot atomically (a crash mid-write keeps the previous one)."""
    with ws.lock:  # snapshot() hands out the live dicts: serialise before anyone changes them
        text = json.dumps(snapshot(ws))
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def load(ws: SandboxStandIn, path: Path) -> None:
    restore(ws, json.loads(path.read_text(encoding="utf-8")))


def _b64(content: bytes | None) -> str | None:
    return base64.b64encode(content).decode() if content is not None else None


def _unb64(text: str | None) -> bytes | None:
    return base64.b64decode(text) if text is not None else None
