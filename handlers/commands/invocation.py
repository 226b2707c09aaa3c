"""One run of /cop: who, where, and what they typed after the subcommand."""

from __future__ import annotations

from dataclasses import dataclass
from logging import Logger
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.blocks import Message
from bot.config import Settings
from bot.inbox import handed_in_again, request_token
from storage import db
from storage.models import Community


@dataclass(frozen=True)
class Invocation:
    """Everything a subcommand needs, so subcommands never read the raw payload."""

    team_id: str
    user_id: str
    channel_id: str
    channel_name: str
    subcommand: str
    args: str
    trigger_id: str
    bot_user_id: str
    settings: Settings
    client: WebClient
    respond: Respond
    logger: Logger
    # the community of this channel, once the router admitted the caller to it
    community: Community | None = None
    # the same for every handling of this command (bot.inbox.request_token), and whether
    # this handling is a second one, after an earlier one was dropped mid-work
    token: str = ""
    redone: bool = False

    @property
    def home(self) -> Community:
        """The community this subcommand runs in (members' and facilitators' subcommands)."""
        if self.community is None:
            raise RuntimeError(f"/cop {self.subcommand} ran without being admitted to a community")
        return self.community

    @property
    def in_dm(self) -> bool:
        # D… is a DM with the app; G… may be a private channel or a group DM (mpim).
        return (
            self.channel_id.startswith("D")
            or self.channel_name == "directmessage"
            or (self.channel_name.startswith("mpdm-"))
        )

    def reply(self, message: Message, *, replace: bool = False) -> None:
        """Answer only the caller (ephemeral); `replace` puts it in place of the answer
        given before (a "Preparing…" becomes what was prepared)."""
        db.release_idle()  # the response_url is Slack too: no connection waits on it
        self.respond(
            response_type="ephemeral", replace_original=replace or None, **message.as_kwargs()
        )

    def reply_text(self, text: str, *, replace: bool = False) -> None:
        self.reply(Message(text=text, blocks=[]), replace=replace)

    @classmethod
    def from_command(
        cls,
        command: dict[str, Any],
        *,
        context: dict[str, Any],
        client: WebClient,
        respond: Respond,
        logger: Logger,
    ) -> Invocation:
        parts = (command.get("text") or "").strip().split(maxsplit=1)
        head = parts[0] if parts else ""
        rest = parts[1] if len(parts) > 1 else ""
        return cls(
            # the workspace that installed copbot (Bolt reads it from the verified envelope):
            # a Slack Connect guest's own team is only a fact about them
            team_id=context.get("team_id") or command.get("team_id") or "",
            user_id=command.get("user_id", ""),
            channel_id=command.get("channel_id", ""),
            channel_name=command.get("channel_name", ""),
            subcommand=head.lower(),
            args=rest.strip(),
            trigger_id=command.get("trigger_id", ""),
            bot_user_id=context.get("bot_user_id") or "",
            settings=context["settings"],
            client=client,
            respond=respond,
            logger=logger,
            token=request_token(command),
            redone=handed_in_again(context),
        )
