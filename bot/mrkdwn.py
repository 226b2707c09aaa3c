"""Escaping and trimming of user text that copbot re-posts: it can never ping, mention or link."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

ELLIPSIS = "…"


def escape(text: str) -> str:
    """Escape `&`, `<` and `>` so user text can never ping, mention or forge a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int, *, more: str = "", at_word: bool = False) -> str:
    """Cut `text` to at most `limit` characters, ending in "…" (and `more`, e.g. a link) if cut.

    Args:
        text: already-escaped mrkdwn or plain text.
        limit: the maximum length of the result.
        more: appended after the ellipsis when the text is cut (counted in the limit).
        at_word: cut before a word cut in two (unless that loses more than a third).
    """
    if len(text) <= limit:
        return text
    if len(more) + len(ELLIPSIS) > limit:
        more = ""
    keep = max(0, limit - len(ELLIPSIS) - len(more))
    cut = text[:keep]
    if at_word and not text[keep].isspace() and cut.rfind(" ") > keep * 2 // 3:
        cut = cut[: cut.rfind(" ")].rstrip(" .,;:")
    # never leave half an escape sequence such as "&am" behind
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:] and len(cut) - amp < 5:
        cut = cut[:amp]
    # nor half a link or mention such as "<https://exa"
    opened = cut.rfind("<")
    if opened > cut.rfind(">"):
        cut = cut[:opened]
    return cut.rstrip() + ELLIPSIS + more


def user(user_id: str) -> str:
    """A user mention: renders as the person's name; only pings inside a posted message."""
    return f"<@{user_id}>"


def channel(channel_id: str) -> str:
    """A channel link that renders as #name."""
    return f"<#{channel_id}>"


def when(moment: datetime, timezone: str, tokens: str = "{date_short_pretty} at {time}") -> str:
    """A moment each reader sees in their own Slack timezone ("Today at 17:00").

    Slack's date token; clients that cannot render it show the fallback, the moment in
    `timezone` with the zone's name ("Fri 11 Dec 16:00 UTC").
    """
    if moment.tzinfo is None:  # stored naive (SQLite): it is UTC
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(timezone))
    fallback = f"{local:%a %d %b %H:%M} {local.tzname() or timezone}"
    return f"<!date^{int(moment.timestamp())}^{tokens}|{escape(fallback)}>"
