"""views.open / push / update / publish: checked, stored and answered with ids and hashes."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from .checks import SlackError, check_view, require
from .params import Handler
from .shapes import Actor
from .state import Workspace

VIEW_KEYS = ("title", "submit", "close", "private_metadata", "callback_id", "external_id")


def _shape(
    ws: Workspace, actor: Actor, view: dict[str, Any], *, view_id: str, root_id: str | None = None
) -> dict[str, Any]:
    """The view object Slack returns: the submitted view plus ids, hash and empty state."""
    shaped: dict[str, Any] = {
        "id": view_id,
        "team_id": actor.team_id,
        "type": view["type"],
        "blocks": copy.deepcopy(view.get("blocks", [])),
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "state": {"values": {}},
        "hash": f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex[:8]}",
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "previous_view_id": None,
        "root_view_id": root_id or view_id,
        "app_id": ws.app_id,
        "app_installed_team_id": ws.team_id,
        "bot_id": actor.bot_id,
    }
    if view["type"] == "modal":
        shaped.update(title=None, submit=None, close=None)
    shaped.update({key: copy.deepcopy(view[key]) for key in VIEW_KEYS if key in view})
    return shaped


def _open(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "trigger_id", "view")
    check_view(args["view"])
    view = _shape(ws, actor, args["view"], view_id=ws.new_id("V"))
    ws.trigger_ids.append(str(args["trigger_id"]))
    ws.view_triggers[view["id"]] = str(args["trigger_id"])
    ws.views[view["id"]] = view
    return {"view": copy.deepcopy(view)}


def update(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "view")
    if not (args.get("view_id") or args.get("external_id")):
        raise SlackError("invalid_arguments", "[ERROR] either view_id or external_id is required")
    check_view(args["view"])
    old = ws.views.get(str(args.get("view_id")))
    if old is None and args.get("external_id"):
        wanted = args["external_id"]
        old = next((v for v in ws.views.values() if v["external_id"] == wanted), None)
    if old is None:
        raise SlackError("not_found")
    if args.get("hash") and args["hash"] != old["hash"]:
        raise SlackError("hash_conflict")
    view = _shape(ws, actor, args["view"], view_id=old["id"], root_id=old["root_view_id"])
    ws.views[view["id"]] = view
    return {"view": copy.deepcopy(view)}


def publish(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    """The user's App Home; its view id stays the same across publishes, as in Slack."""
    require(args, "user_id", "view")
    user_id = str(args["user_id"])
    if user_id not in ws.users:
        raise SlackError("user_not_found")
    check_view(args["view"], home_only=True)
    old = ws.home_views.get(user_id)
    if old and args.get("hash") and args["hash"] != old["hash"]:
        raise SlackError("hash_conflict")
    view = _shape(ws, actor, args["view"], view_id=old["id"] if old else ws.new_id("V"))
    ws.views[view["id"]] = ws.home_views[user_id] = view
    return {"view": copy.deepcopy(view)}


VIEWS: dict[str, Handler] = {
    "views.open": _open,
    "views.push": _open,
    "views.update": update,
    "views.publish": publish,
}
