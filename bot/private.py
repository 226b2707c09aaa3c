"""Telling one person something only they see: the one way copbot speaks privately."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from storage import db


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
    """Send `text` privately to whoever triggered `body`, however Slack lets us reach them.

    `body` is whatever came in, in shapes Slack never sends too: this never raises.
    """
    try:
        response_url = body.get("response_url") or _first_response_url(body)
        if isinstance(response_url, str) and response_url:
            db.release_idle()  # the response_url is Slack too: no connection waits on it
            WebhookClient(response_url).send(text=text, response_type="ephemeral")
            return
        event = _dict(body.get("event"))
        user = event.get("user") or _dict(body.get("user")).get("id")
        channel = event.get("channel") or _dict(event.get("item")).get("channel")
        if isinstance(channel, dict):
            channel = channel.get("id")
        if isinstance(user, str) and user:
            # in a DM the person reads a plain message from copbot as readily
            where = "" if str(channel or "").startswith("D") else str(channel or "")
            tell(client, channel_id=where, user_id=user, text=text)
    except (SlackClientError, OSError, ValueError) as exc:
        # Slack refused or was unreachable: the user cannot be told, the log must say so.
        logger.warning("could not tell the user about an error: %s", type(exc).__name__)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _first_response_url(body: dict[str, Any]) -> str | None:
    urls = body.get("response_urls")
    first = urls[0] if isinstance(urls, list) and urls else None
    return _dict(first).get("response_url")
