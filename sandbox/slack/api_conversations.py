"""api.test, auth.test, users.info and conversations.* as Slack answers them."""

from __future__ import annotations

import copy
from typing import Any

from .checks import SlackError, require
from .params import Handler, as_bool, in_window, page
from .shapes import WORKSPACE_URL, Actor
from .state import Workspace, is_reply


def api_test(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    if args.get("error"):
        raise SlackError(str(args["error"]))
    return {"args": dict(args)}


def auth_test(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "url": WORKSPACE_URL,
        "team": ws.team_name,
        "user": ws.users.get(actor.user_id, {}).get("name", actor.user_id),
        "team_id": actor.team_id,
        "user_id": actor.user_id,
        "is_enterprise_install": False,
    }
    if actor.bot_id:
        answer["bot_id"] = actor.bot_id
    return answer


def users_info(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "user")
    user = ws.users.get(str(args["user"]))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": copy.deepcopy(user)}


def info(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "channel")
    channel = ws.find_channel(str(args["channel"]), actor)
    return {"channel": ws.channel_info(channel, viewer=actor.user_id)}


def history(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    """Newest first; thread replies only when broadcast to the channel."""
    require(args, "channel")
    channel = ws.member_channel(str(args["channel"]), actor)
    visible = [
        message
        for message in reversed(ws.ordered(channel))
        if (not is_reply(message) or message.get("subtype") == "thread_broadcast")
        and in_window(args, message["ts"])
    ]
    messages, cursor = page(visible, args, default_limit=100, most=999)
    return {
        "messages": with_metadata(messages, as_bool(args.get("include_all_metadata"))),
        "has_more": bool(cursor),
        "pin_count": 0,
        "channel_actions_ts": None,
        "channel_actions_count": 0,
        "response_metadata": {"next_cursor": cursor},
    }


def with_metadata(messages: list[dict[str, Any]], included: bool) -> list[dict[str, Any]]:
    """Copies of `messages`; their message metadata only when `include_all_metadata` asks."""
    copies = copy.deepcopy(messages)
    if not included:
        for message in copies:
            message.pop("metadata", None)
    return copies


def replies(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    """The root, then its replies oldest first; every page starts with the root, as in Slack."""
    require(args, "channel", "ts")
    channel = ws.member_channel(str(args["channel"]), actor)
    root = ws.thread_root(channel, str(args["ts"]))
    if root is None:
        raise SlackError("thread_not_found")
    thread = [
        message
        for message in ws.ordered(channel)
        if is_reply(message)
        and message["thread_ts"] == root["ts"]
        and in_window(args, message["ts"])
    ]
    messages, cursor = page(thread, args, default_limit=1000)
    return {
        "messages": with_metadata([root, *messages], as_bool(args.get("include_all_metadata"))),
        "has_more": bool(cursor),
        "response_metadata": {"next_cursor": cursor},
    }


def members(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "channel")
    channel = ws.find_channel(str(args["channel"]), actor)
    found, cursor = page(channel.members, args, default_limit=100)
    return {"members": found, "response_metadata": {"next_cursor": cursor}}


def join(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "channel")
    hidden = ws.channels.get(str(args["channel"]))
    if hidden is not None and (hidden.is_private or hidden.is_im):
        # Private channels are refused as such, even to a bot that cannot see them.
        raise SlackError("method_not_supported_for_channel_type")
    channel = ws.find_channel(str(args["channel"]), actor)
    if channel.is_private or channel.is_im:
        raise SlackError("method_not_supported_for_channel_type")
    if channel.is_archived:
        raise SlackError("is_archived")
    answer: dict[str, Any] = {}
    if actor.user_id in channel.members:
        answer = {"warning": "already_in_channel"}
        answer["response_metadata"] = {"warnings": ["already_in_channel"]}
    else:
        channel.members.append(actor.user_id)
    return {"channel": ws.channel_info(channel, viewer=actor.user_id), **answer}


def open_conversation(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    """A DM with one user (multi-person DMs are not modelled)."""
    if args.get("channel"):
        channel = ws.find_channel(str(args["channel"]), actor)
    else:
        require(args, "users")
        users = [user.strip() for user in str(args["users"]).split(",") if user.strip()]
        if len(users) != 1:
            raise SlackError("not_implemented", "[ERROR] the stand-in opens one-to-one DMs only")
        channel = ws.im_for(users[0])
    return {"channel": {"id": channel.id}, "no_op": True, "already_open": True}


CONVERSATIONS: dict[str, Handler] = {
    "api.test": api_test,
    "auth.test": auth_test,
    "users.info": users_info,
    "conversations.info": info,
    "conversations.history": history,
    "conversations.replies": replies,
    "conversations.members": members,
    "conversations.join": join,
    "conversations.open": open_conversation,
}
