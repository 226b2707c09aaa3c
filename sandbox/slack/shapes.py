"""Slack's object shapes for the stand-in: ts values, tokens' actors, users and channels."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DOMAIN = "test"
WORKSPACE_URL = f"https://{DOMAIN}.slack.com/"


def ts_key(ts: str) -> int:
    """A Slack ts ("1700000000.000100") as integer microseconds, for ordering and comparing."""
    seconds, _, fraction = str(ts).partition(".")
    if not seconds.isdigit() or (fraction and not fraction.isdigit()) or len(fraction) > 6:
        raise ValueError(f"not a Slack ts: {ts!r}")
    return int(seconds) * 1_000_000 + int(fraction.ljust(6, "0") or 0)


def format_ts(key: int) -> str:
    return f"{key // 1_000_000}.{key % 1_000_000:06d}"


@dataclass(frozen=True)
class Actor:
    """Who a token acts as."""

    token: str
    team_id: str
    user_id: str
    bot_id: str | None = None


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_archived: bool = False
    im_user: str | None = None
    members: list[str] = field(default_factory=list)
    created: int = field(default_factory=lambda: int(time.time()))
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def is_im(self) -> bool:
        return self.im_user is not None


def user_object(
    user_id: str,
    name: str,
    team_id: str,
    *,
    real_name: str | None,
    is_admin: bool,
    is_owner: bool,
    is_bot: bool,
    tz: str,
    display_name: str = "",
) -> dict[str, Any]:
    """users.info's `user`. Like most people, nobody has a display name unless given one:
    Slack then shows the real name."""
    real = real_name if real_name is not None else name
    user = {
        "id": user_id,
        "team_id": team_id,
        "name": name,
        "deleted": False,
        "real_name": real,
        "tz": tz,
        "tz_label": tz,
        "tz_offset": _tz_offset(tz),
        "profile": {
            "real_name": real,
            "display_name": display_name,
            "real_name_normalized": real,
            "display_name_normalized": display_name,
            "team": team_id,
        },
        "is_admin": is_admin or is_owner,
        "is_owner": is_owner,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": is_bot,
        "is_app_user": False,
        "updated": int(time.time()),
    }
    return user


def channel_object(channel: Channel, team_id: str, *, viewer: str) -> dict[str, Any]:
    """conversations.info's `channel` as `viewer` sees it."""
    base = {"id": channel.id, "created": channel.created, "is_archived": channel.is_archived}
    if channel.is_im:
        return {
            **base,
            "is_im": True,
            "is_channel": False,
            "is_group": False,
            "is_mpim": False,
            "is_private": True,
            "user": channel.im_user,
            "is_open": True,
            "priority": 0,
            "is_org_shared": False,
            "context_team_id": team_id,
        }
    # Private channels made before March 2021 (ids starting with G) are "groups".
    legacy_group = channel.is_private and channel.id.startswith("G")
    empty_topic = {"value": "", "creator": "", "last_set": 0}
    return {
        **base,
        "name": channel.name,
        "name_normalized": channel.name,
        "is_channel": not legacy_group,
        "is_group": legacy_group,
        "is_im": False,
        "is_mpim": False,
        "is_private": channel.is_private,
        "is_general": channel.name == "general",
        "is_shared": False,
        "is_ext_shared": False,
        "is_org_shared": False,
        "is_pending_ext_shared": False,
        "unlinked": 0,
        "is_member": viewer in channel.members,
        "creator": "",
        "context_team_id": team_id,
        "topic": dict(empty_topic),
        "purpose": dict(empty_topic),
        "num_members": len(channel.members),
    }


def _tz_offset(tz: str) -> int:
    try:
        offset = datetime.now(UTC).astimezone(ZoneInfo(tz)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return 0
    return int(offset.total_seconds()) if offset else 0
