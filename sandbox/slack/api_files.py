"""files.getUploadURLExternal / files.completeUploadExternal: Slack's external upload flow.

What slack_sdk's files_upload_v2 does, and what the stand-in answers:

1. files.getUploadURLExternal(filename, length) -> file_id and an upload_url on the stand-in;
   the file is recorded in `ws.files` as pending (content None).
2. POST of the bytes (raw, or a multipart part) to upload_url -> 200 "OK - <length>"
   (served by SlackStandIn, which calls `receive_upload`).
3. files.completeUploadExternal(files=[{id, title}], channel_id | channels, initial_comment,
   thread_ts) -> the file objects; with a channel, a message from the uploader with
   `files=[...]` and text=initial_comment is stored there, as Slack shares it.

Neither method is in the 2020 OpenAPI spec, so required arguments are checked here.
"""

from __future__ import annotations

import copy
import json
import mimetypes
import time
from pathlib import PurePosixPath
from typing import Any

from .api_chat import post_as
from .checks import SlackError, require
from .params import Handler
from .shapes import WORKSPACE_URL, Actor
from .state import Workspace


def get_upload_url(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "filename", "length")
    try:
        length = int(args["length"])
    except (TypeError, ValueError):
        length = -1
    if length < 1:
        raise SlackError("invalid_arguments", "[ERROR] length must be a positive integer")
    file_id = ws.new_id("F")
    name = str(args["filename"])
    ws.files[file_id] = {
        "id": file_id,
        "name": name,
        "title": name,
        "length": length,
        "content": None,
        "user": actor.user_id,
        "created": int(time.time()),
        "alt_txt": args.get("alt_txt") or None,
        "snippet_type": args.get("snippet_type") or None,
        "completed": False,
        "channel": None,
        "channels": [],
        "thread_ts": None,
        "initial_comment": None,
    }
    return {"upload_url": ws.upload_url(file_id), "file_id": file_id}


def receive_upload(ws: Workspace, file_id: str, content: bytes) -> bool:
    """Store the bytes POSTed to a file's upload_url; False when it takes no upload."""
    record = ws.files.get(file_id)
    if record is None or record["completed"]:
        return False
    record["content"] = content
    return True


def complete_upload(ws: Workspace, actor: Actor, args: dict[str, Any]) -> dict[str, Any]:
    require(args, "files")
    wanted = _file_list(args["files"])
    records = []
    for item in wanted:
        record = ws.files.get(str(item["id"]))
        if record is None or record["user"] != actor.user_id or record["completed"]:
            raise SlackError("file_not_found")
        if record["content"] is None:
            raise SlackError("file_not_found", f"[ERROR] nothing was uploaded for {item['id']}")
        records.append((record, item))
    channels = [ws.postable_channel(ref, actor) for ref in _channel_refs(args)]
    thread_ts = str(args.get("thread_ts") or "") or None
    if thread_ts and any(ws.thread_root(channel, thread_ts) is None for channel in channels):
        raise SlackError("thread_not_found")
    comment = args.get("initial_comment") or ""
    for record, item in records:
        record.update(
            title=str(item.get("title") or record["name"]),
            completed=True,
            channel=channels[0].id if channels else None,
            channels=[channel.id for channel in channels],
            thread_ts=thread_ts,
            initial_comment=comment or None,
        )
    shown = [file_object(ws, record) for record, _ in records]
    for channel in channels:
        message = post_as(ws, actor, channel, {"text": comment, "thread_ts": thread_ts})
        message.update(files=copy.deepcopy(shown), upload=True, display_as_bot=False)
    return {"files": shown}


def file_object(ws: Workspace, record: dict[str, Any]) -> dict[str, Any]:
    """The file object Slack returns for a stored upload (its bytes are not part of it)."""
    name, file_id = record["name"], record["id"]
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    suffix = PurePosixPath(name).suffix.lstrip(".").lower()
    shared = [ws.channels[channel_id] for channel_id in record["channels"]]
    files_url = f"https://files.slack.com/files-pri/{ws.team_id}-{file_id}"
    return {
        "id": file_id,
        "created": record["created"],
        "timestamp": record["created"],
        "name": name,
        "title": record["title"],
        "mimetype": mimetype,
        "filetype": suffix or "binary",
        "pretty_type": suffix.upper() or "Binary",
        "user": record["user"],
        "user_team": ws.team_id,
        "editable": False,
        "size": len(record["content"] or b""),
        "mode": "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": any(not c.is_private for c in shared),
        "public_url_shared": False,
        "display_as_bot": False,
        "username": "",
        "url_private": f"{files_url}/{name}",
        "url_private_download": f"{files_url}/download/{name}",
        "permalink": f"{WORKSPACE_URL}files/{record['user']}/{file_id}/{name}",
        "channels": [c.id for c in shared if not c.is_private],
        "groups": [c.id for c in shared if c.is_private and not c.is_im],
        "ims": [c.id for c in shared if c.is_im],
        "comments_count": 0,
        **({"alt_txt": record["alt_txt"]} if record.get("alt_txt") else {}),
    }


def _file_list(value: Any) -> list[dict[str, Any]]:
    """`files` as sent: a JSON string (form) or a list (JSON body) of {id, title}."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise SlackError("invalid_arguments", "[ERROR] files must be a JSON array") from None
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(item, dict) and item.get("id") for item in value)
    ):
        raise SlackError("invalid_arguments", "[ERROR] files must be an array of {id, title}")
    return value


def _channel_refs(args: dict[str, Any]) -> list[str]:
    """channel_id, or the comma-separated `channels`; none means the file stays private."""
    if args.get("channel_id"):
        return [str(args["channel_id"])]
    refs = args.get("channels") or ""
    if isinstance(refs, list):
        return [str(ref) for ref in refs if ref]
    return [ref.strip() for ref in str(refs).split(",") if ref.strip()]


FILES: dict[str, Handler] = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
}
