"""The workspace the stand-in serves: users, channels, messages, views and files, under one lock."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from .checks import SlackError
from .compose import composer_blocks, encode_typed
from .payloads import shared_message_attachment, tombstone
from .shapes import (
    WORKSPACE_URL,
    Actor,
    Channel,
    channel_object,
    format_ts,
    ts_key,
    user_object,
)


class Workspace:
    """One Slack workspace. Every public method takes the lock; handlers run under it too."""

    def __init__(
        self,
        *,
        team_id: str,
        team_name: str,
        bot_token: str,
        bot_user_id: str,
        bot_id: str,
        app_id: str,
    ) -> None:
        self.lock = threading.RLock()
        self.team_id, self.team_name, self.app_id = team_id, team_name, app_id
        self.bot_token, self.bot_user_id, self.bot_id = bot_token, bot_user_id, bot_id
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Channel] = {}
        self.tokens: dict[str, Actor] = {bot_token: Actor(bot_token, team_id, bot_user_id, bot_id)}
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.trigger_ids: list[str] = []
        self.view_triggers: dict[str, str] = {}  # view id -> the trigger_id that opened it
        # Uploads by file id (api_files.py): name, title, content (bytes; None until
        # POSTed to the upload_url), user, channel / channels, initial_comment, thread_ts, ...
        self.files: dict[str, dict[str, Any]] = {}
        self.next_id = 1
        self.wall_clock: Callable[[], float] = time.time  # what new ts values are made from
        self._last_ts = 0
        self.add_user(bot_user_id, "copbot", real_name="copbot", is_bot=True)
        self.users[bot_user_id]["profile"]["bot_id"] = bot_id

    # ----- what people type --------------------------------------------------------------
    def typed(self, text: str, *, command: bool = False) -> str:
        """`text` as a person typed it, the way the Slack client sends it (compose.py): a
        message, or a slash command's text when `command` (should_escape: true)."""
        with self.lock:
            users = {u["name"].lower(): uid for uid, u in self.users.items()}
            channels = {c.name.lower(): c.id for c in self.channels.values() if not c.is_im}
        return encode_typed(text, users=users, channels=channels, command=command)

    # ----- users and tokens -------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        tz: str = "UTC",
        display_name: str = "",
        team_id: str | None = None,
    ) -> dict[str, Any]:
        """Add (or replace) a user shaped like users.info's `user`; another `team_id` makes a
        Slack Connect guest from a partner workspace."""
        user = user_object(
            user_id,
            name,
            team_id or self.team_id,
            real_name=real_name,
            is_admin=is_admin,
            is_owner=is_owner,
            is_bot=is_bot,
            tz=tz,
            display_name=display_name,
        )
        with self.lock:
            self.users[user_id] = user
            return copy.deepcopy(user)

    def user(self, user_id: str) -> dict[str, Any] | None:
        with self.lock:
            return copy.deepcopy(self.users.get(user_id))

    def add_token(
        self, token: str, *, user_id: str, team_id: str | None = None, bot_id: str | None = None
    ) -> None:
        """Accept another token (a user token, or a second bot) acting as `user_id`."""
        with self.lock:
            self.tokens[token] = Actor(token, team_id or self.team_id, user_id, bot_id)

    def actor_for(self, token: str) -> Actor | None:
        with self.lock:
            return self.tokens.get(token)

    # ----- channels -----------------------------------------------------------------------
    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_private: bool = False,
        members: Iterable[str] = (),
        is_archived: bool = False,
    ) -> dict[str, Any]:
        """Add a channel; the bot is in it only if bot_user_id is among `members`."""
        with self.lock:
            channel = Channel(channel_id, name, is_private, is_archived, members=list(members))
            self.channels[channel_id] = channel
            return self.channel_info(channel, viewer=self.bot_user_id)

    def add_im(self, channel_id: str, user: str) -> dict[str, Any]:
        """Add the DM between `user` and the bot."""
        with self.lock:
            channel = Channel(channel_id, "", True, im_user=user, members=[user, self.bot_user_id])
            self.channels[channel_id] = channel
            return self.channel_info(channel, viewer=self.bot_user_id)

    def im_for(self, user: str) -> Channel:
        """The bot's DM with `user`, opened on first use as Slack does."""
        with self.lock:
            for channel in self.channels.values():
                if channel.im_user == user:
                    return channel
            if user not in self.users:
                raise SlackError("user_not_found")
            self.add_im(self.new_id("D"), user)
            return self.im_for(user)

    def set_members(self, channel: str, members: Iterable[str]) -> None:
        with self.lock:
            self._channel(channel).members = list(dict.fromkeys(members))

    def archive_channel(self, channel: str, archived: bool = True) -> None:
        with self.lock:
            self._channel(channel).is_archived = archived

    def channel_members(self, channel: str) -> list[str]:
        with self.lock:
            return list(self._channel(channel).members)

    def channel_info(self, channel: Channel, *, viewer: str) -> dict[str, Any]:
        """conversations.info's `channel` as `viewer` sees it."""
        return channel_object(channel, self.team_id, viewer=viewer)

    def _channel(self, channel_id: str) -> Channel:
        try:
            return self.channels[channel_id]
        except KeyError:
            raise KeyError(f"no channel {channel_id!r} in the stand-in") from None

    def find_channel(self, ref: str, actor: Actor) -> Channel:
        """Resolve an id or #name the way `actor` may see it (private and not a member: gone)."""
        channel = self.channels.get(ref)
        if channel is None:
            name = ref.removeprefix("#")
            channel = next((c for c in self.channels.values() if c.name == name != ""), None)
        if channel is None or (channel.is_private and actor.user_id not in channel.members):
            raise SlackError("channel_not_found")
        return channel

    def member_channel(self, ref: str, actor: Actor) -> Channel:
        """A channel `actor` must be in (history, replies, reactions)."""
        channel = self.find_channel(ref, actor)
        if actor.user_id not in channel.members:
            raise SlackError("not_in_channel")
        return channel

    def postable_channel(self, ref: str, actor: Actor) -> Channel:
        """Where chat.post* may post: a user id means the DM with that user."""
        if ref[:1] in ("U", "W") and ref in self.users and ref not in self.channels:
            return self.im_for(ref)
        channel = self.member_channel(ref, actor)
        if channel.is_archived:
            raise SlackError("is_archived")
        return channel

    # ----- messages -------------------------------------------------------------------------
    def next_ts(self) -> str:
        """A fresh ts: wall-clock microseconds, strictly increasing."""
        with self.lock:
            self._last_ts = max(int(self.wall_clock() * 1_000_000), self._last_ts + 1)
            return format_ts(self._last_ts)

    def new_id(self, prefix: str) -> str:
        with self.lock:
            number, self.next_id = self.next_id, self.next_id + 1
            return f"{prefix}{number:010d}"

    def add_message(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        ts: str | None = None,
        thread_ts: str | None = None,
        subtype: str | None = None,
        bot_id: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Put a message in a channel as if `user` had posted it (a reply when thread_ts)."""
        message: dict[str, Any] = {"type": "message", "user": user, "text": text}
        if subtype:
            message["subtype"] = subtype
        if bot_id:
            message["bot_id"] = bot_id
        if blocks is not None:
            message["blocks"] = blocks
        if attachments is not None:
            message["attachments"] = attachments
        with self.lock:
            target = self._channel(channel)
            root = self.thread_root(target, thread_ts) if thread_ts else None
            if thread_ts and root is None:
                raise KeyError(f"no message {thread_ts} in {channel} to reply to")
            return copy.deepcopy(self.store(target, message, ts=ts, root=root))

    def forward_message(
        self, channel: str, ts: str, *, user: str, to: str, comment: str = ""
    ) -> dict[str, Any]:
        """`user` forwards a message to `to` (Slack's "Forward message" / share), with an
        optional `comment` (markup). The new message's `text` is the comment ("" without
        one) and the message it shares is its attachments[0]."""
        with self.lock:
            source = self._channel(channel)
            original = source.messages.get(ts)
            if original is None or original.get("subtype") == "tombstone":
                raise KeyError(f"no message {ts} in {channel} to forward")
            shared = dict(original)
            shared.setdefault("blocks", composer_blocks(str(original.get("text") or "")))
            author = self.users.get(str(original.get("user") or ""), {})
            attachment = shared_message_attachment(
                shared,
                channel_id=source.id,
                channel_name="" if source.is_im else source.name,
                author_name=str(author.get("name") or original.get("username") or ""),
                from_url=self.permalink(source, original),
                team_id=self.team_id,
            )
            blocks = composer_blocks(comment) if comment else None
            return self.add_message(to, user, comment, blocks=blocks, attachments=[attachment])

    def edit_message(
        self, channel: str, ts: str, text: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The author edits a message to `text` (markup): (what it was, what it is), as copies,
        the way message_changed carries them."""
        with self.lock:
            message = self._channel(channel).messages.get(ts)
            if message is None or message.get("subtype") == "tombstone":
                raise KeyError(f"no message {ts} in {channel} to edit")
            previous = copy.deepcopy(message)
            message["text"] = text
            if "blocks" in message:
                message["blocks"] = composer_blocks(text)
            message["edited"] = {"user": message.get("user"), "ts": self.next_ts()}
            return previous, copy.deepcopy(message)

    def remove_message(self, channel: str, ts: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """Delete a message as Slack does: a thread root with replies stays as a tombstone so
        its replies stay reachable. Returns what it was and the tombstone (None: gone)."""
        with self.lock:
            target = self._channel(channel)
            message = target.messages.get(ts)
            if message is None or message.get("subtype") == "tombstone":
                raise KeyError(f"no message {ts} in {channel} to delete")
            previous = copy.deepcopy(message)
            if message.get("reply_count"):
                target.messages[ts] = tombstone(message, team_id=self.team_id)
                return previous, copy.deepcopy(target.messages[ts])
            del target.messages[ts]
            if is_reply(message):
                self.refresh_thread(target, message["thread_ts"])
            return previous, None

    def permalink(self, channel: Channel, message: dict[str, Any]) -> str:
        """chat.getPermalink's link to a message (a reply's names its thread)."""
        link = f"{WORKSPACE_URL}archives/{channel.id}/p{message['ts'].replace('.', '')}"
        if is_reply(message):
            link += f"?thread_ts={message['thread_ts']}&cid={channel.id}"
        return link

    def thread_root(self, channel: Channel, thread_ts: str) -> dict[str, Any] | None:
        """The root a reply to `thread_ts` belongs to (a reply's ts means its parent's thread)."""
        message = channel.messages.get(thread_ts)
        if message is None:
            return None
        return channel.messages.get(message.get("thread_ts", thread_ts), message)

    def store(
        self,
        channel: Channel,
        message: dict[str, Any],
        *,
        ts: str | None = None,
        root: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store a message (a reply when `root` is given) and return the stored dict."""
        with self.lock:
            if ts is None:
                ts = self.next_ts()
            elif ts in channel.messages:
                raise ValueError(f"{channel.id} already has a message with ts {ts}")
            else:
                self._last_ts = max(self._last_ts, ts_key(ts))
            message.update(ts=ts, team=self.team_id)
            if root is not None:
                message.update(thread_ts=root["ts"], parent_user_id=root.get("user"))
            channel.messages[ts] = message
            if root is not None:
                self.refresh_thread(channel, root["ts"])
            return message

    def refresh_thread(self, channel: Channel, root_ts: str) -> None:
        """Recount a root's reply_count / reply_users / latest_reply from its stored replies."""
        root = channel.messages.get(root_ts)
        if root is None:
            return
        replies = [m for m in self.ordered(channel) if is_reply(m) and m["thread_ts"] == root_ts]
        for key in ("reply_count", "reply_users", "reply_users_count", "latest_reply"):
            root.pop(key, None)
        if replies:
            users = list(dict.fromkeys(m["user"] for m in replies if m.get("user")))
            root.update(
                thread_ts=root_ts,
                reply_count=len(replies),
                reply_users=users,
                reply_users_count=len(users),
                latest_reply=replies[-1]["ts"],
                is_locked=False,
                subscribed=False,
            )

    @staticmethod
    def ordered(channel: Channel) -> list[dict[str, Any]]:
        return sorted(channel.messages.values(), key=lambda m: ts_key(m["ts"]))

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Every message of a channel (roots and replies), oldest first, as copies."""
        with self.lock:
            return copy.deepcopy(self.ordered(self._channel(channel)))

    def last_message(self, channel: str) -> dict[str, Any] | None:
        found = self.messages(channel)
        return found[-1] if found else None

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        with self.lock:
            return copy.deepcopy(self._channel(channel).messages.get(ts))

    def set_reaction(self, message: dict[str, Any], name: str, user: str, *, on: bool) -> bool:
        """Add (on) or take back `user`'s :name: on a stored message; False if nothing changed.

        The message keeps Slack's shape: `reactions` lists name, users and count, and
        neither an emptied reaction nor an empty list is left behind.
        """
        with self.lock:
            reactions = message.setdefault("reactions", [])
            reaction = next((r for r in reactions if r["name"] == name), None)
            if reaction is None:
                reaction = {"name": name, "users": [], "count": 0}
                reactions.append(reaction)
            changed = (user in reaction["users"]) != on
            if changed and on:
                reaction["users"].append(user)
            elif changed:
                reaction["users"].remove(user)
            reaction["count"] = len(reaction["users"])
            if not reaction["users"]:
                reactions.remove(reaction)
            if not reactions:
                del message["reactions"]
            return changed

    # ----- files ------------------------------------------------------------------------------
    def upload_url(self, file_id: str) -> str:
        """Where files.getUploadURLExternal sends the bytes (SlackStandIn serves its own)."""
        return f"https://files.slack.com/upload/v1/{file_id}"

    def files_in(self, channel: str) -> list[dict[str, Any]]:
        """Uploads shared in a channel by files.completeUploadExternal, oldest first, as copies."""
        with self.lock:
            channel_id = self._channel(channel).id
            return copy.deepcopy([f for f in self.files.values() if channel_id in f["channels"]])


def is_reply(message: dict[str, Any]) -> bool:
    return "thread_ts" in message and message["thread_ts"] != message["ts"]
