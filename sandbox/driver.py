"""What a person does on the sandbox page, played to copbot as Slack would play it.

Every action updates the stand-in's workspace first (the message is posted, the reaction
added) and then sends the app the same signed request Slack sends: an Events API event, a
slash command with a response_url, a block_actions or view_submission payload. Nothing here
knows what copbot does with it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .clock import SandboxClock, Upcoming, next_post
from .slack import (
    SentRequest,
    SlackSender,
    block_actions_payload,
    message_action_payload,
    message_event,
    reaction_event,
    shortcut_payload,
    view_submission_payload,
)
from .slack.payloads import action_ts
from .workspace import SandboxStandIn

COMMANDS = ("/cop",)
MAX_TEXT = 40_000  # Slack's own limit on a message's text
# Runs the scheduler at a moment; returns a one-line summary.
Ticker = Callable[[datetime], str]


class SandboxError(Exception):
    """Something the person did cannot be done; the message says why, in one line."""


class Sandbox:
    """The person's side of the sandbox: one method per thing the page can do."""

    def __init__(
        self,
        standin: SandboxStandIn,
        sender: SlackSender,
        *,
        clock: SandboxClock,
        ticker: Ticker,
    ) -> None:
        self.standin = standin
        self.sender = sender
        self.clock = clock
        self.ticker = ticker

    # ----- who and where --------------------------------------------------------------------------
    def person(self, user: str) -> dict[str, Any]:
        found = self.standin.user(user)
        if found is None or found["is_bot"]:
            raise SandboxError(f"there is nobody called {user!r} in this workspace")
        return found

    def person_or_first(self, user: str) -> str:
        """`user` if they are a person here, else the first person (a page opened afresh)."""
        with self.standin.lock:
            people = [uid for uid, u in self.standin.users.items() if not u["is_bot"]]
        return user if user in people else people[0]

    def channel(self, user: str, channel: str) -> Any:
        with self.standin.lock:
            found = self.standin.channels.get(channel)
            if found is None or (found.is_private and user not in found.members):
                raise SandboxError("that channel does not exist, or is private")
            if found.is_im and found.im_user != user:
                raise SandboxError("that is somebody else's conversation")
            if found.is_archived:
                raise SandboxError(f"#{found.name} is archived")
            return found

    def bot_in(self, channel: str) -> bool:
        with self.standin.lock:
            found = self.standin.channels.get(channel)
            return found is not None and self.standin.bot_user_id in found.members

    def join(self, user: str, channel: str) -> None:
        """`user` joins a public channel; copbot hears member_joined_channel if it is there."""
        found = self.channel(user, channel)
        if user in found.members:
            return
        self.standin.set_members(channel, [*found.members, user])
        if self.bot_in(channel):
            self.sender.event(
                {
                    "type": "member_joined_channel",
                    "user": user,
                    "channel": channel,
                    "channel_type": "G" if found.is_private else "C",
                    "team": self.standin.team_id,
                    "event_ts": action_ts(),
                }
            )

    # ----- the composer ---------------------------------------------------------------------------
    def send(self, user: str, channel: str, text: str, thread_ts: str | None = None) -> str:
        """A message or, when it starts with "/", a slash command; returns what it became."""
        self.person(user)
        text = text.strip()
        if not text:
            raise SandboxError("type a message first")
        if len(text) > MAX_TEXT:
            raise SandboxError(f"that is longer than Slack allows ({MAX_TEXT:,} characters)")
        if text.startswith("/"):
            self.command(user, channel, text)
            return "command"
        self.post(user, channel, text, thread_ts)
        return "message"

    def post(self, user: str, channel: str, text: str, thread_ts: str | None = None) -> str:
        """`user` posts `text`; copbot gets `message` (and `app_mention`) where it is a member."""
        found = self.channel(user, channel)
        if user not in found.members:
            self.join(user, channel)
        encoded = self.standin.typed(text)
        try:
            posted = self.standin.add_message(channel, user, encoded, thread_ts=thread_ts)
        except KeyError:
            raise SandboxError("that thread is gone") from None
        ts, root = posted["ts"], posted.get("thread_ts")
        if self.bot_in(channel):
            self._deliver(message_event(channel, user, encoded, ts, thread_ts=root))
            if f"<@{self.standin.bot_user_id}>" in encoded and not found.is_im:
                mention = {"type": "app_mention", "user": user, "text": encoded, "ts": ts}
                mention.update(channel=channel, event_ts=ts, team=self.standin.team_id)
                if root:
                    mention["thread_ts"] = root
                self._deliver(mention)
        return str(ts)

    def command(self, user: str, channel: str, typed: str) -> None:
        """`/cop …` typed in `channel`: the app's ack, if it has text, is shown to `user` only."""
        found = self.channel(user, channel)
        name, _, rest = typed.partition(" ")
        if name == "/invite":
            self.invite(user, channel, rest)
            return
        if name not in COMMANDS:
            raise SandboxError(f"{name} is not a valid command. In this sandbox, try /cop help.")
        text = self.standin.typed(rest.strip(), command=True)
        trigger = self.standin.trigger_for(user)
        sent = self.sender.command(
            text, user=user, channel=channel, command=name, trigger_id=trigger
        )
        self._check(sent, name)
        body = _json(sent)
        if isinstance(body, dict) and (body.get("text") or body.get("blocks")):
            if body.get("response_type") == "in_channel":
                self.standin.add_message(found.id, self.standin.bot_user_id, body.get("text", ""))
            else:
                self.standin.add_ephemeral(found.id, user, body)

    def invite(self, user: str, channel: str, who: str) -> None:
        """Slack's own `/invite @copbot`: copbot joins the channel (the only person not in
        every channel here), and hears member_joined_channel as it would in Slack."""
        found = self.channel(user, channel)
        bot = self.standin.user(self.standin.bot_user_id) or {}
        if who.strip().lstrip("@").lower() not in (str(bot.get("name", "")).lower(), "copbot"):
            raise SandboxError("In this sandbox, /invite brings copbot in: /invite @copbot")
        if self.bot_in(channel):
            raise SandboxError(f"copbot is already in #{found.name}")
        self.standin.set_members(channel, [*found.members, self.standin.bot_user_id])
        joined = f"<@{self.standin.bot_user_id}> has joined the channel"
        self.standin.add_message(channel, self.standin.bot_user_id, joined, subtype="channel_join")
        self._deliver(
            {
                "type": "member_joined_channel",
                "user": self.standin.bot_user_id,
                "channel": channel,
                "channel_type": "G" if found.is_private else "C",
                "team": self.standin.team_id,
                "inviter": user,
                "event_ts": action_ts(),
            }
        )

    # ----- reactions, buttons, modals -------------------------------------------------------------
    def react(self, user: str, channel: str, ts: str, name: str) -> bool:
        """Toggle `user`'s :name: on a message; True when it is now there."""
        self.channel(user, channel)
        name = name.strip(":").strip()
        if not name or len(name) > 100 or any(ch.isspace() for ch in name):
            raise SandboxError("that is not an emoji name")
        with self.standin.lock:
            message = self.standin.channels[channel].messages.get(ts)
            if message is None:
                raise SandboxError("that message is gone")
            mine = any(
                user in r["users"] for r in message.get("reactions", []) if r["name"] == name
            )
            self.standin.set_reaction(message, name, user, on=not mine)
            author = message.get("user")
        self.standin.touch()
        if self.bot_in(channel):
            event = reaction_event(
                user, name, channel=channel, ts=ts, item_user=author, removed=mine
            )
            self._deliver(event)
        return not mine

    def action(
        self,
        user: str,
        *,
        source: str,
        action: dict[str, Any],
        channel: str | None = None,
        ts: str | None = None,
        view_id: str | None = None,
    ) -> None:
        """A button clicked or an option picked in a message, an ephemeral, App Home or a modal."""
        person = self.person(user)
        if not isinstance(action, dict) or not action.get("action_id"):
            raise SandboxError("that button has no action_id")
        trigger = self.standin.trigger_for(user)
        payload = block_actions_payload(
            user_id=user,
            action_id=str(action["action_id"]),
            block_id=str(action.get("block_id") or "actions"),
            trigger_id=trigger,
            team_id=self.standin.team_id,
            api_app_id=self.standin.app_id,
            **self._container(user, source, channel, ts, view_id),
        )
        payload["actions"][0].update(
            {k: v for k, v in action.items() if k not in ("action_ts",)}, action_ts=action_ts()
        )
        payload["user"].update(username=person["name"], name=person["name"])
        self._check(self.sender.interactive(payload), "that button")

    def _container(
        self, user: str, source: str, channel: str | None, ts: str | None, view_id: str | None
    ) -> dict[str, Any]:
        """Where a clicked element lives, as block_actions_payload() takes it."""
        if source in ("home", "modal"):
            view = self._view(user, source, view_id)
            return {"view": view}
        if not channel or not ts:
            raise SandboxError("which message was that?")
        found = self.channel(user, channel)
        if source == "ephemeral":
            message = self.standin.ephemeral(user, ts)
            if message is None:
                raise SandboxError("that message is gone")
            message = {"type": "message", "ts": ts, "text": message["text"], **_blocks(message)}
        elif source == "message":
            message = self.standin.message(channel, ts)
            if message is None:
                raise SandboxError("that message is gone")
        else:
            raise SandboxError(f"unknown place for a button: {source!r}")
        response_url = self.standin.new_response_url(channel, user=user, origin=ts)
        container: dict[str, Any] = {
            "channel_id": channel,
            "channel_name": found.name or "directmessage",
            "message": message,
            "response_url": response_url,
        }
        return container

    def _view(self, user: str, source: str, view_id: str | None) -> dict[str, Any]:
        if source == "home":
            with self.standin.lock:
                home = copy.deepcopy(self.standin.home_views.get(user))
            if home is None:
                raise SandboxError("App Home has not been opened yet")
            return home
        try:
            return self.standin.modal_of(user, str(view_id))
        except Exception:
            raise SandboxError("that window is closed") from None

    def submit(self, user: str, view_id: str, values: dict[str, Any]) -> None:
        """Submit a modal with its input values (view.state.values)."""
        person = self.person(user)
        view = self._view(user, "modal", view_id)
        if not isinstance(values, dict):
            raise SandboxError("the form's values are not readable")
        title = (view.get("title") or {}).get("text", "")
        payload = view_submission_payload(
            user_id=user,
            callback_id=view.get("callback_id") or "",
            values=values,
            private_metadata=view.get("private_metadata") or "",
            view_id=view["id"],
            title=title,
            blocks=view.get("blocks"),
            trigger_id=self.standin.trigger_for(user),
            team_id=self.standin.team_id,
            api_app_id=self.standin.app_id,
        )
        payload["view"].update(
            hash=view.get("hash"), root_view_id=view.get("root_view_id") or view["id"]
        )
        payload["user"].update(username=person["name"], name=person["name"])
        sent = self.sender.interactive(payload)
        self._check(sent, "that form")
        self.standin.answer_submission(user, view["id"], _json(sent))

    def close(self, user: str, view_id: str) -> None:
        self._view(user, "modal", view_id)
        self.standin.close_view(view_id)

    def open_home(self, user: str) -> None:
        """`user` opens copbot's App Home tab."""
        self.person(user)
        with self.standin.lock:
            dm = self.standin.im_for(user)
        event = {"type": "app_home_opened", "user": user, "channel": dm.id, "tab": "home"}
        event["event_ts"] = action_ts()
        self._deliver(event)

    def shortcut(
        self, user: str, callback_id: str, *, channel: str | None = None, ts: str | None = None
    ) -> None:
        """A global shortcut, or a message shortcut when channel and ts are given."""
        self.person(user)
        trigger = self.standin.trigger_for(user)
        common = {"team_id": self.standin.team_id, "api_app_id": self.standin.app_id}
        if channel and ts:
            found = self.channel(user, channel)
            message = self.standin.message(channel, ts)
            if message is None:
                raise SandboxError("that message is gone")
            payload = message_action_payload(
                user_id=user,
                callback_id=callback_id,
                channel_id=channel,
                channel_name=found.name,
                message=message,
                response_url=self.standin.new_response_url(channel, user=user, origin=ts),
                trigger_id=trigger,
                **common,
            )
        else:
            payload = shortcut_payload(
                user_id=user, callback_id=callback_id, trigger_id=trigger, **common
            )
        self._check(self.sender.interactive(payload), "that shortcut")

    # ----- the clock ------------------------------------------------------------------------------
    def upcoming(self) -> Upcoming | None:
        return next_post(self.clock.now())

    def jump(self) -> tuple[datetime, str]:
        """Move the clock to the next scheduled post and run the scheduler there."""
        coming = self.upcoming()
        if coming is None:
            raise SandboxError("nothing is scheduled: create a community first (/cop create)")
        now = self.clock.move_to(coming.at)
        summary = self.ticker(now)
        self.standin.touch()
        return now, f"{coming.label}: {summary}"

    # ----- sending --------------------------------------------------------------------------------
    def _deliver(self, event: dict[str, Any]) -> None:
        self._check(self.sender.event(event), "copbot")

    @staticmethod
    def _check(sent: SentRequest, what: str) -> None:
        """Slack tells the person when the app does not answer in time or answers an error."""
        if sent.status != 200:
            raise SandboxError(
                f'{what} failed with the error "dispatch_failed" (copbot answered HTTP '
                f"{sent.status})"
            )


def _json(sent: SentRequest) -> Any:
    try:
        return sent.json()
    except ValueError:
        return None


def _blocks(message: dict[str, Any]) -> dict[str, Any]:
    return {"blocks": message["blocks"]} if message.get("blocks") else {}
