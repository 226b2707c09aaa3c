"""The real copbot app served over HTTP, wired to the Slack stand-in: what scenario tests drive."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.config import Settings
from sandbox.serve import ServedApp
from sandbox.slack import (
    SlackStandIn,
    composer_blocks,
    message_changed_event,
    message_deleted_event,
    message_event,
    reaction_event,
)

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
TEAM = "T0001"

# The demo workspace every scenario starts from.
USERS = {
    "UALICE": dict(name="alice", real_name="Alice Liddell"),
    "UBOB": dict(name="bob", real_name="Bob Builder"),
    "UCAROL": dict(name="carol", real_name="Carol Danvers"),
    "UADMIN": dict(name="ada", real_name="Ada Admin", is_admin=True),
    "UOTHERBOT": dict(name="ci-bot", real_name="CI Bot", is_bot=True),
}
CHANNELS = {
    "CPYTHON": dict(name="python", members=["UALICE", "UBOB", "UCOPBOT", "UOTHERBOT"]),
    "CRANDOM": dict(name="random", members=["UALICE", "UBOB", "UCAROL"]),
    "CSECRET": dict(name="secret", is_private=True, members=["UALICE", "UCOPBOT"]),
    "CHIDDEN": dict(name="hidden", is_private=True, members=["UALICE"]),
}


def flatten_text(payload: Any) -> str:
    """Every human-readable string in a message payload (text fallback and blocks), joined."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload)
    return "\n".join(found)


def buttons(payload: Any, action_id: str | None = None) -> list[dict[str, Any]]:
    """The buttons of a message, view or blocks (in actions blocks and as accessories), in
    order; those with `action_id` only, when given."""
    blocks = payload.get("blocks", []) if isinstance(payload, dict) else payload
    found = []
    for block in blocks:
        elements = block.get("elements", []) if block.get("type") == "actions" else []
        for element in [*elements, block.get("accessory") or {}]:
            if element.get("type") == "button" and action_id in (None, element["action_id"]):
                found.append(element)
    return found


@dataclass
class Reply:
    """What a /cop command produced: the HTTP ack and what was sent to its response_url."""

    status: int
    ack_body: str
    responses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join([self.ack_body, *(flatten_text(r) for r in self.responses)]).strip()

    def __contains__(self, needle: str) -> bool:
        return needle in self.text


class Copbot(ServedApp):
    """A running copbot (real Bolt app over HTTP, stand-in Slack) and what people do to it."""

    def cop(
        self,
        text: str = "",
        *,
        user: str = "UALICE",
        channel: str = "CPYTHON",
        wire: bool = False,
        **kw: Any,
    ) -> Reply:
        """Type `/cop <text>` as `user` in `channel`; returns once copbot has finished with it.

        The text goes out as Slack sends it (manifest.yml: should_escape): `&`, `<`, `>`
        escaped, @name, #channel and URLs linked. `wire=True` sends `text` exactly as given.
        """
        if text.startswith("/cop"):
            text = text[len("/cop") :].strip()
        if not wire:
            text = self.standin.typed(text, command=True)
        sent = self.sender.command(text, user=user, channel=channel, **kw)
        self.wait_idle()
        responses = [r["body"] for r in self.standin.responses if r["url"] == sent.response_url]
        return Reply(status=sent.status, ack_body=sent.body, responses=responses)

    def event(self, event: dict[str, Any], **kw: Any) -> Any:
        """Deliver an Events API event; returns the HTTP response once listeners are done."""
        sent = self.sender.event(event, **kw)
        self.wait_idle()
        return sent

    def say(
        self,
        text: str,
        *,
        user: str = "UBOB",
        channel: str = "CPYTHON",
        thread_ts: str | None = None,
        deliver: bool = True,
        wire: bool = False,
        at: datetime | None = None,
    ) -> str:
        """`user` posts `text` in Slack; copbot gets the message event unless deliver=False.

        Typed text is escaped and linked as Slack does; `wire=True` posts it exactly as given;
        `at` dates the message (its ts) then instead of now.
        """
        if not wire:
            text = self.standin.typed(text)
        blocks = composer_blocks(text)  # the composer's rich_text, sent beside `text`
        ts = f"{at.timestamp():.6f}" if at is not None else None
        posted = self.standin.add_message(
            channel, user, text, thread_ts=thread_ts, blocks=blocks, ts=ts
        )
        if deliver:
            event = message_event(channel, user, text, posted["ts"], thread_ts=thread_ts)
            self.event({**event, "blocks": blocks})
        return str(posted["ts"])

    def edit(self, ts: str, text: str, *, channel: str = "CPYTHON", wire: bool = False) -> None:
        """The author of message `ts` edits it to `text`; copbot gets `message_changed`."""
        if not wire:
            text = self.standin.typed(text)
        previous, now = self.standin.edit_message(channel, ts, text)
        self.event(message_changed_event(channel, now, previous))

    def delete(self, ts: str, *, channel: str = "CPYTHON") -> None:
        """The author deletes message `ts`, and copbot hears it as Slack tells it: a thread
        root with replies becomes a tombstone (`message_changed`), anything else is
        `message_deleted`."""
        previous, tombstone = self.standin.remove_message(channel, ts)
        if tombstone is not None:
            self.event(message_changed_event(channel, tombstone, previous))
        else:
            self.event(message_deleted_event(channel, previous))

    def forward(
        self,
        ts: str,
        *,
        user: str = "UBOB",
        channel: str = "CPYTHON",
        to: str = "CPYTHON",
        comment: str = "",
        deliver: bool = True,
    ) -> str:
        """`user` forwards message `ts` of `channel` to `to` with an optional typed comment;
        copbot gets the new message (`text` is the comment, the shared message an attachment)."""
        posted = self.standin.forward_message(
            channel, ts, user=user, to=to, comment=self.standin.typed(comment) if comment else ""
        )
        if deliver:
            content = {k: posted[k] for k in ("blocks", "attachments") if k in posted}
            event = message_event(to, user, posted["text"], posted["ts"], **content)
            del event["client_msg_id"]  # a forward is not a message typed in a client
            self.event(event)
        return str(posted["ts"])

    def react(
        self,
        ts: str,
        *,
        user: str = "UALICE",
        emoji: str = "bulb",
        channel: str = "CPYTHON",
        removed: bool = False,
        **kw: Any,
    ) -> Any:
        """`user` adds (or removes) a reaction on a message."""
        author = (self.standin.message(channel, ts) or {}).get("user")
        event = reaction_event(
            user, emoji, channel=channel, ts=ts, item_user=author, removed=removed
        )
        return self.event(event, **kw)

    def interactive(self, payload: dict[str, Any], **kw: Any) -> Any:
        sent = self.sender.interactive(payload, **kw)
        self.wait_idle()
        return sent


def seed_workspace(standin: SlackStandIn) -> None:
    for user_id, attrs in USERS.items():
        standin.add_user(user_id, **attrs)
    for channel_id, attrs in CHANNELS.items():
        standin.add_channel(channel_id, **attrs)
    standin.add_im("DALICE", "UALICE")


def settings_for(standin: SlackStandIn, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token=standin.bot_token,
        slack_api_url=standin.api_url,
        database_url=database_url,
    )
    values.update(overrides)
    return Settings(**values)


@contextmanager
def running_copbot(standin: SlackStandIn, settings: Settings) -> Iterator[Copbot]:
    bot = Copbot(standin, settings).start()
    try:
        yield bot
    finally:
        bot.stop()
