"""Request bodies shaped like the ones Slack sends to an app (commands, events, interactivity)."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

DOMAIN = "test"
VERIFICATION_TOKEN = "verification-token"  # deprecated by Slack, still sent in every payload
_event_numbers = itertools.count(1)


def new_trigger_id() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"


def new_event_id() -> str:
    """A unique id like Slack's "Ev08MFMKH6"."""
    return f"Ev{next(_event_numbers):04d}{uuid.uuid4().hex[:6].upper()}"


def action_ts() -> str:
    return f"{time.time():.6f}"


def slash_command_body(command: str = "/cop", text: str = "", **fields: Any) -> str:
    """The form-encoded body of a slash command (over HTTP), fields in Slack's order."""
    return urlencode(slash_command_fields(command, text, **fields))


def slash_command_fields(
    command: str = "/cop",
    text: str = "",
    *,
    user_id: str,
    channel_id: str,
    response_url: str,
    team_id: str = "T0001",
    channel_name: str = "general",
    user_name: str | None = None,
    trigger_id: str | None = None,
    api_app_id: str = "A0001",
) -> dict[str, str]:
    """A slash command's fields, in Slack's order: form-encoded over HTTP, the `payload` of a
    Socket Mode `slash_commands` envelope."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    }


def event_body(event: dict[str, Any], **fields: Any) -> str:
    """The JSON event_callback envelope around `event` (over HTTP)."""
    return json.dumps(event_callback(event, **fields))


def event_callback(
    event: dict[str, Any],
    *,
    team_id: str = "T0001",
    event_id: str | None = None,
    event_time: int | None = None,
    api_app_id: str = "A0001",
    bot_user_id: str = "UCOPBOT",
) -> dict[str, Any]:
    """The event_callback envelope around `event`, authorized for the bot user: the body of an
    Events API request, the `payload` of a Socket Mode `events_api` envelope."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{uuid.uuid4().hex}",
    }


def interactive_body(payload: dict[str, Any]) -> str:
    """Interactivity arrives form-encoded as a single `payload` field holding JSON."""
    return urlencode({"payload": json.dumps(payload)})


def message_event(
    channel: str, user: str, text: str, ts: str, *, thread_ts: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A `message` event as a member's post arrives (channel_type from the id's first letter)."""
    kind = {"C": "channel", "G": "group", "D": "im"}.get(channel[:1], "channel")
    event = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts}
    event.update(event_ts=ts, channel_type=kind, team="T0001", client_msg_id=str(uuid.uuid4()))
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {**event, **extra}


def rich_text(*elements: dict[str, Any] | str, block_id: str | None = None) -> dict[str, Any]:
    """A `rich_text` block as the Slack composer writes it (every message people post has one).

    `elements` are rich_text_section / _list / _preformatted / _quote objects; a str is a
    section holding that raw text.
    """
    parts = [rich_section(e) if isinstance(e, str) else e for e in elements]
    return {"type": "rich_text", "block_id": block_id or uuid.uuid4().hex[:5], "elements": parts}


def rich_section(*parts: dict[str, Any] | str, kind: str = "rich_text_section") -> dict[str, Any]:
    """A rich text section (or, with `kind`, a quote or preformatted block); a str part is a
    text element, which holds raw characters (no escaping, no tokens)."""
    elements = [{"type": "text", "text": p} if isinstance(p, str) else p for p in parts]
    return {"type": kind, "elements": elements}


def message_changed_event(
    channel: str, message: dict[str, Any], previous: dict[str, Any], *, event_ts: str | None = None
) -> dict[str, Any]:
    """A `message_changed` event: `message` is the message as it is now (an edit, an unfurl
    added, or a thread root become a tombstone), `previous_message` as it was."""
    event_ts = event_ts or action_ts()
    kind = {"C": "channel", "G": "group", "D": "im"}.get(channel[:1], "channel")
    return {
        "type": "message",
        "subtype": "message_changed",
        "message": message,
        "previous_message": previous,
        "channel": channel,
        "hidden": True,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": kind,
    }


def message_deleted_event(
    channel: str, previous: dict[str, Any], *, event_ts: str | None = None
) -> dict[str, Any]:
    """A `message_deleted` event for the message `previous` was."""
    event_ts = event_ts or action_ts()
    kind = {"C": "channel", "G": "group", "D": "im"}.get(channel[:1], "channel")
    return {
        "type": "message",
        "subtype": "message_deleted",
        "previous_message": previous,
        "channel": channel,
        "hidden": True,
        "deleted_ts": previous["ts"],
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": kind,
    }


def tombstone(root: dict[str, Any], *, team_id: str = "T0001") -> dict[str, Any]:
    """What Slack keeps of a deleted thread root that has replies, so they stay reachable."""
    kept = ("thread_ts", "reply_count", "reply_users", "reply_users_count", "latest_reply")
    message: dict[str, Any] = {"type": "message", "subtype": "tombstone"}
    message.update(text="This message was deleted.", user="USLACKBOT", hidden=True)
    message.update(ts=root["ts"], team=team_id, parent_user_id="USLACKBOT")
    message.update({key: root[key] for key in kept if key in root})
    message.setdefault("thread_ts", root["ts"])
    return message


def shared_message_attachment(
    original: dict[str, Any],
    *,
    channel_id: str,
    channel_name: str,
    author_name: str,
    from_url: str,
    team_id: str = "T0001",
) -> dict[str, Any]:
    """The attachment Slack adds to a message that forwards (shares) `original`: its text in
    `text`, its blocks in `message_blocks`, a dated `fallback`, who wrote it and where."""
    posted = _slack_date(str(original["ts"]))
    attachment: dict[str, Any] = {
        "ts": original["ts"],
        "channel_id": channel_id,
        "channel_team": team_id,
        "channel_name": channel_name,
        "is_msg_unfurl": True,
        "message_blocks": [
            {
                "team": team_id,
                "channel": channel_id,
                "ts": original["ts"],
                "message": {"blocks": original.get("blocks") or []},
            }
        ],
        "color": "D0D0D0",
        "from_url": from_url,
        "is_share": True,
        "fallback": f"[{posted}] {author_name}: {original.get('text', '')}",
        "text": original.get("text", ""),
        "author_name": author_name,
        "author_link": f"https://{DOMAIN}.slack.com/team/{original.get('user', '')}",
        "author_icon": "https://a.slack-edge.com/80588/img/avatars/ava_0001-48.png",
        "author_subname": author_name,
        "mrkdwn_in": ["text"],
        "footer": f"Posted in #{channel_name}" if channel_name else "Slack Conversation",
    }
    if original.get("user"):
        attachment["author_id"] = original["user"]
    return attachment


def _slack_date(ts: str) -> str:
    """A ts as a share's fallback dates it: "October 12th, 2022 4:04 PM" (UTC here)."""
    t = time.gmtime(float(ts))
    day = t.tm_mday
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    hour = t.tm_hour % 12 or 12
    noon = "AM" if t.tm_hour < 12 else "PM"
    return f"{time.strftime('%B', t)} {day}{suffix}, {t.tm_year} {hour}:{t.tm_min:02d} {noon}"


def reaction_event(
    user: str,
    reaction: str,
    *,
    channel: str,
    ts: str,
    item_user: str | None = None,
    removed: bool = False,
) -> dict[str, Any]:
    """A `reaction_added` (or `reaction_removed`) event on a message."""
    event: dict[str, Any] = {
        "type": "reaction_removed" if removed else "reaction_added",
        "user": user,
        "reaction": reaction,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": action_ts(),
    }
    if item_user:
        event["item_user"] = item_user
    return event


def _user(user_id: str, team_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id}


def _envelope(kind: str, user_id: str, team_id: str, api_app_id: str) -> dict[str, Any]:
    return {
        "type": kind,
        "token": VERIFICATION_TOKEN,
        "api_app_id": api_app_id,
        "team": {"id": team_id, "domain": DOMAIN},
        "user": _user(user_id, team_id),
        "enterprise": None,
        "is_enterprise_install": False,
    }


def block_actions_payload(
    *,
    user_id: str,
    action_id: str,
    value: str | None = None,
    block_id: str = "actions",
    channel_id: str | None = None,
    channel_name: str = "general",
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    response_url: str | None = None,
    trigger_id: str | None = None,
    action_type: str = "button",
    team_id: str = "T0001",
    api_app_id: str = "A0001",
) -> dict[str, Any]:
    """A button (or other element) clicked in a message (channel_id + message) or a view."""
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": action_ts(),
    }
    if action_type == "button":
        action["text"] = {"type": "plain_text", "text": action_id, "emoji": True}
    if value is not None:
        action["value"] = value
    payload = _envelope("block_actions", user_id, team_id, api_app_id)
    payload.update(trigger_id=trigger_id or new_trigger_id(), actions=[action])
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0001")}
        payload["view"] = view
    else:
        message = message or {"type": "message", "ts": "1700000000.000100", "text": ""}
        payload["container"] = {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        payload.update(channel={"id": channel_id, "name": channel_name}, message=message)
        payload.update(state={"values": {}}, response_url=response_url)
    return payload


def view_submission_payload(
    *,
    user_id: str,
    callback_id: str,
    values: dict[str, dict[str, dict[str, Any]]],
    private_metadata: str = "",
    view_id: str = "V0001",
    title: str = "copbot",
    blocks: list[dict[str, Any]] | None = None,
    trigger_id: str | None = None,
    team_id: str = "T0001",
    api_app_id: str = "A0001",
) -> dict[str, Any]:
    """A modal submitted; `values` is view.state.values: {block_id: {action_id: state_value()}}."""
    view = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": blocks or [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": values},
        "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
        "title": {"type": "plain_text", "text": title, "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": api_app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": "BCOPBOT",
    }
    payload = _envelope("view_submission", user_id, team_id, api_app_id)
    payload.update(trigger_id=trigger_id or new_trigger_id(), view=view, response_urls=[])
    return payload


def state_value(value: Any, *, element: str = "plain_text_input") -> dict[str, Any]:
    """One entry of view.state.values as Slack reports it for an `element` input."""
    if element in ("static_select", "external_select", "radio_buttons"):
        option = {"text": {"type": "plain_text", "text": str(value)}, "value": value}
        return {"type": element, "selected_option": option if value is not None else None}
    if element in ("multi_static_select", "checkboxes"):
        options = [{"text": {"type": "plain_text", "text": str(v)}, "value": v} for v in value]
        return {"type": element, "selected_options": options}
    keys = {
        "users_select": "selected_user",
        "multi_users_select": "selected_users",
        "conversations_select": "selected_conversation",
        "channels_select": "selected_channel",
        "multi_channels_select": "selected_channels",
        "multi_conversations_select": "selected_conversations",
        "datepicker": "selected_date",
        "timepicker": "selected_time",
    }
    return {"type": element, keys.get(element, "value"): value}


def shortcut_payload(
    *,
    user_id: str,
    callback_id: str,
    trigger_id: str | None = None,
    team_id: str = "T0001",
    api_app_id: str = "A0001",
) -> dict[str, Any]:
    """A global shortcut."""
    payload = _envelope("shortcut", user_id, team_id, api_app_id)
    payload.update(callback_id=callback_id, trigger_id=trigger_id or new_trigger_id())
    payload["action_ts"] = action_ts()
    return payload


def message_action_payload(
    *,
    user_id: str,
    callback_id: str,
    channel_id: str,
    message: dict[str, Any],
    response_url: str,
    channel_name: str = "general",
    trigger_id: str | None = None,
    team_id: str = "T0001",
    api_app_id: str = "A0001",
) -> dict[str, Any]:
    """A message shortcut on `message` (which needs at least ts, user and text)."""
    payload = _envelope("message_action", user_id, team_id, api_app_id)
    payload.update(callback_id=callback_id, trigger_id=trigger_id or new_trigger_id())
    payload.update(action_ts=action_ts(), response_url=response_url)
    payload.update(channel={"id": channel_id, "name": channel_name})
    payload.update(message_ts=message["ts"], message={"type": "message", **message})
    return payload
