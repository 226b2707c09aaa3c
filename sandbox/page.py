"""What the page shows a person: GET /sandbox/state, built from the stand-in's workspace."""

from __future__ import annotations

from typing import Any

from .driver import Sandbox
from .slack.shapes import Channel


def page_state(
    sandbox: Sandbox, user: str, channel: str | None = None, thread: str | None = None
) -> dict[str, Any]:
    """Everything one poll of the page needs, for `user` looking at `channel` (and `thread`)."""
    ws = sandbox.standin
    version = ws.version
    with ws.lock:
        users = {
            uid: {"name": u["name"], "real_name": u["real_name"], "is_bot": u["is_bot"]}
            for uid, u in ws.users.items()
        }
        people = [
            {"id": uid, "name": u["name"], "real_name": u["real_name"], "tz": u.get("tz") or "UTC"}
            for uid, u in ws.users.items()
            if not u["is_bot"]
        ]
        visible = [c for c in ws.channels.values() if _visible(c, user)]
        dm = next((c for c in ws.channels.values() if c.im_user == user), None)
        current = ws.channels.get(channel or "")
        if current is not None and not (_visible(current, user) or current.im_user == user):
            current = None
        home = ws.home_views.get(user)
        home_view = {"id": home["id"], "blocks": home["blocks"]} if home else None
    upcoming = sandbox.upcoming()
    modals = ws.modals_of(user)
    return {
        "version": version,
        "me": user,
        "team": {"id": ws.team_id, "name": ws.team_name},
        "bot_user_id": ws.bot_user_id,
        "now": sandbox.clock.now().isoformat(timespec="seconds"),
        "next_post": {"at": upcoming.at.isoformat(), "label": upcoming.label} if upcoming else None,
        "people": people,
        "users": users,
        "channels": [
            {"id": c.id, "name": c.name, "is_private": c.is_private, "is_member": user in c.members}
            for c in sorted(visible, key=lambda c: c.name)
        ],
        "dm": {"id": dm.id} if dm else None,
        "channel": _channel(current) if current else None,
        "messages": _messages(sandbox, user, current) if current else [],
        "thread": _thread(sandbox, user, current, thread) if current and thread else None,
        "home": home_view,
        "modal": _modal(ws.view_errors, modals[-1]) if modals else None,
    }


def _visible(channel: Channel, user: str) -> bool:
    return not channel.is_im and (not channel.is_private or user in channel.members)


def _channel(channel: Channel) -> dict[str, Any]:
    return {
        "id": channel.id,
        "name": channel.name or "copbot",
        "is_private": channel.is_private,
        "is_im": channel.is_im,
    }


def _messages(sandbox: Sandbox, user: str, channel: Channel) -> list[dict[str, Any]]:
    ws = sandbox.standin
    shown = [_message(ws, user, m) for m in ws.roots(channel.id)]
    shown += [
        _message(ws, user, e, ephemeral=True)
        for e in ws.ephemerals_for(user, channel.id)
        if not e.get("thread_ts")
    ]
    return ws.in_order(shown)


def _thread(sandbox: Sandbox, user: str, channel: Channel, thread: str) -> dict[str, Any] | None:
    ws = sandbox.standin
    root = ws.message(channel.id, thread)
    if root is None:
        return None
    replies = [_message(ws, user, m) for m in ws.replies_to(channel.id, thread)]
    replies += [
        _message(ws, user, e, ephemeral=True)
        for e in ws.ephemerals_for(user, channel.id)
        if e.get("thread_ts") == thread
    ]
    return {"root": _message(ws, user, root), "replies": ws.in_order(replies)}


def _message(ws: Any, user: str, m: dict[str, Any], *, ephemeral: bool = False) -> dict[str, Any]:
    # an ephemeral's "user" is who may see it; copbot is who wrote it
    author = ws.bot_user_id if ephemeral else m.get("user") or ws.bot_user_id
    known = ws.users.get(author, {})
    return {
        "ts": m["ts"],
        "user": author,
        "name": known.get("real_name") or known.get("name") or author,
        "is_bot": bool(known.get("is_bot") or m.get("bot_id")),
        "text": m.get("text") or "",
        "blocks": m.get("blocks") or None,
        "files": [
            {
                "name": f.get("name", ""),
                "title": f.get("title") or f.get("name", ""),
                "url": f"/sandbox/file/{f.get('id', '')}",
            }
            for f in m.get("files") or []
        ],
        "reactions": [
            {"name": r["name"], "count": r["count"], "mine": user in r["users"]}
            for r in m.get("reactions") or []
        ],
        "reply_count": int(m.get("reply_count") or 0),
        "thread_ts": m.get("thread_ts"),
        "edited": "edited" in m,
        "ephemeral": ephemeral,
    }


def _modal(errors: dict[str, dict[str, str]], view: dict[str, Any]) -> dict[str, Any]:
    def text(key: str) -> str | None:
        value = view.get(key)
        return value.get("text") if isinstance(value, dict) else None

    return {
        "id": view["id"],
        "title": text("title"),
        "submit": text("submit"),
        "close": text("close"),
        "blocks": view.get("blocks") or [],
        "errors": errors.get(view["id"], {}),
    }
