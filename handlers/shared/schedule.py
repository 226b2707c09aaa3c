"""What the /cop schedule command and its form share: reading what a facilitator chose."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import CopError
from scheduler.kinds import BY_WORD, KINDS, PostKind


def valid_timezone(name: str) -> str:
    """An IANA timezone name as typed, or a CopError with an example."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CopError(
            f"`{name[:60]}` isn't a timezone I know. Use an IANA name like `Europe/Berlin`, "
            "`America/New_York` or `Asia/Kolkata`.",
        ) from None
    return name


def parse_kind(word: str) -> PostKind:
    """The kind of post a facilitator named ("digest", "summary", …), or a CopError."""
    kind = BY_WORD.get(word.lower())
    if kind is None:
        names = ", ".join(k.name for k in KINDS[:-1]) + f" or {KINDS[-1].name}"
        raise CopError(f"`{word[:30]}` isn't something copbot posts; pick {names}.")
    return kind
