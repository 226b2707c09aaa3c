"""chat.* and reactions.add as Slack answers them."""

from __future__ import annotations

import copy
from typing import Any

from .checks import SlackError, check_message, require
from .params import Handler, as_bool
from .shapes import Actor, Channel
from .state import Workspace

CONTENT_KEYS = ("blocks", "attachments", "metadata", "username", "icon_emoji", "icon_url")


def author_fields(ws: Workspace, actor: Actor) -> dict[str, Any]:
    """What Slack stamps on a message posted with `actor`'s token."""
    fields: dict[str, Any] = {"user": actor.user_id}
    if actor.bot_id:
        fields.update(bot_id=actor.bot_id, app_id=ws.app_id)
        fields["bot_profile"] = {
            "id": actor.bot_id,
            "app_id": ws.app_id,
            "name": ws.users.get(actor.user_id, {}).get("name", "copbot"),
            "deleted": False,
            "team_id": actor.team_id,
        }
    return fields


def post_as(ws: Workspace, actor: Actor, channel: Channel, body: dict[str, Any]) -> dict[str, Any]:
    """Store a message built from chat.postMessage-like arguments (also used by response_url)."""
    root = None
    if body.get("thread_ts"):
        root = ws.thread_root(channel, str(body["thread_ts"]))
        if root is None:
            raise SlackError("thread_not_found")
    message: dict[str, Any] = {"type": "message", "text": body.get("text") or ""}
    message.update(author_fields(ws, actor))
    message.update({key: body[key] for key in CONTENT_KEYS if body.get(key) not in (None, "")})
    if root is not None and as_bool(body.get("reply_broadcast")):
        message["subtype"] = "thread_broadcast"
    return ws.store(channel, message, root=root)


def post_message(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "channel")
    channel = ws.postable_channel(str(args["channel"]), actor)
    check_message(args)
    message = post_as(ws, actor, channel, args)
    return {"channel": channel.id, "ts": message["ts"], "message": copy.deepcopy(message)}


def post_ephemeral(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "channel", "user")
    channel = ws.postable_channel(str(args["channel"]), actor)
    if args["user"] not in channel.members:
        raise SlackError("user_not_in_channel")
    check_message(args)
    ts = ws.next_ts()
    ws.ephemerals.append(
        {
            "channel": channel.id,
            "user": args["user"],
            "text": args.get("text") or "",
            "blocks": args.get("blocks"),
            "attachments": args.get("attachments"),
            "thread_ts": args.get("thread_ts"),
            "ts": ts,
        }
    )
    return {"message_ts": ts}


def own_message(
    ws: Workspace, actor: Actor, args: dict[str, Any], key: str
) -> tuple[Channel, dict[str, Any]]:
    """The channel and message a chat.update / chat.delete names; it must be `actor`'s."""
    require(args, "channel", key)
    channel = ws.find_channel(str(args["channel"]), actor)
    message = channel.messages.get(str(args[key]))
    if message is None or message.get("subtype") == "tombstone":
        raise SlackError("message_not_found")
    return channel, message


def update(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    channel, message = own_message(ws, actor, args, "ts")
    if message.get("user") != actor.user_id:
        raise SlackError("cant_update_message")
    check_message(args)
    if "text" in args:
        message["text"] = args["text"] or ""
    message.update({key: args[key] for key in CONTENT_KEYS if key in args})
    message["edited"] = {"user": actor.user_id, "ts": ws.next_ts()}
    return {
        "channel": channel.id,
        "ts": message["ts"],
        "text": message["text"],
        "message": copy.deepcopy(message),
    }


def delete(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    channel, message = own_message(ws, actor, args, "ts")
    if message.get("user") != actor.user_id:
        raise SlackError("cant_delete_message")
    ts = message["ts"]
    ws.remove_message(channel.id, ts)
    return {"channel": channel.id, "ts": ts}


def get_permalink(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "channel", "message_ts")
    channel = ws.find_channel(str(args["channel"]), actor)
    message = channel.messages.get(str(args["message_ts"]))
    if message is None:
        raise SlackError("message_not_found")
    return {"channel": channel.id, "permalink": ws.permalink(channel, message)}


def add_reaction(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "channel", "name", "timestamp")
    channel = ws.member_channel(str(args["channel"]), actor)
    message = channel.messages.get(str(args["timestamp"]))
    if message is None:
        raise SlackError("message_not_found")
    name = str(args["name"]).strip(":")
    if not ws.set_reaction(message, name, actor.user_id, on=True):
        raise SlackError("already_reacted")
    return {}


CHAT: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update,
    "chat.delete": delete,
    "chat.getPermalink": get_permalink,
    "reactions.add": add_reaction,
}
