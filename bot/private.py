"""Telling one person something only they see: the one way copbot speaks privately."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient


def tell(
    client: WebClient, *, channel_id: str, user_id: str, text: str, blocks: list[Any] | None = None
) -> None:
    """A private note to `user_id`: ephemeral in the channel, or a DM if that is refused."""
    if channel_id:
        try:
            client.chat_postEphemeral(channel=channel_id, user=user_id, text=text, blocks=blocks)
            return
        except SlackApiError:
            pass  # not a channel they (or copbot) are in: a DM reaches them anyway
    client.chat_postMessage(channel=user_id, text=text, blocks=blocks)


def tell_requester(body: dict[str, Any], client: WebClient, text: str, logger: Logger) -> None:
    """Send `text` privately to whoever triggered `body`, however Slack lets us reach them."""
    try:
        response_url = body.get("response_url") or _first_response_url(body)
        if response_url:
            WebhookClient(response_url).send(text=text, response_type="ephemeral")
            return
        event = body.get("event") or {}
        user = event.get("user") or (body.get("user") or {}).get("id")
        channel = event.get("channel") or event.get("item", {}).get("channel")
        if isinstance(event.get("channel"), dict):
            channel = event["channel"].get("id")
        if user:
            # in a DM the person reads a plain message from copbot as readily
            where = "" if str(channel or "").startswith("D") else str(channel or "")
            tell(client, channel_id=where, user_id=user, text=text)
    except (SlackApiError, OSError) as exc:
        # Slack refused or was unreachable: the user cannot be told, the log must say so.
        logger.warning("could not tell the user about an error: %s", exc)


def _first_response_url(body: dict[str, Any]) -> str | None:
    urls = body.get("response_urls") or []
    return urls[0].get("response_url") if urls else None
