"""The stand-in as the sandbox runs it: ephemerals and modals per person, a page, a version."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage.clock import utcnow

from .slack import SlackStandIn
from .slack.api_views import update as update_view
from .slack.checks import SlackError
from .slack.shapes import ts_key
from .slack.wire import Answer

KEEP = 1000  # calls, responses and ephemerals remembered
# What serves the page: (verb, path, query, body) -> an answer, or None for "not found".
Pages = Callable[[str, str, str, bytes], Answer | None]


class SandboxStandIn(SlackStandIn):
    """The Slack stand-in plus what a Slack client keeps for its user.

    - ephemeral messages (chat.postEphemeral and response_url answers) per person, with
      replace_original / delete_original acting on the one a button was clicked in;
    - the modals each person has open (views.open / push / update), and the errors a
      submission answered with;
    - `version`, which changes whenever anything a page could show has changed.
    """

    def __init__(
        self, *, port: int = 0, team_name: str = "Demo Workspace", spec_path: Path | None = None
    ) -> None:
        super().__init__(team_name=team_name, port=port, spec_path=spec_path)
        self.pages: Pages | None = None
        self.trigger_users: dict[str, str] = {}
        self.closed_views: set[str] = set()
        self.view_errors: dict[str, dict[str, str]] = {}
        self._changes = 0
        # messages are dated by the sandbox clock, which the page can move ahead
        self.wall_clock = lambda: utcnow().timestamp()

    # ----- what changed ---------------------------------------------------------------------------
    @property
    def version(self) -> int:
        with self.lock:
            return self._changes

    def _api(self, request: Any, method: str, query: str, raw: bytes) -> Answer:
        answer = super()._api(request, method, query, raw)
        with self.lock:
            self._changes += 1
            # a sandbox runs for days: keep the logs tests read, but not all of them
            del self.calls[:-KEEP], self.responses[:-KEEP], self.ephemerals[:-KEEP]
        return answer

    def touch(self) -> None:
        with self.lock:
            self._changes += 1

    def route(self, verb: str, path: str, query: str, raw: bytes) -> Answer | None:
        return self.pages(verb, path, query, raw) if self.pages else None

    # ----- ephemerals -----------------------------------------------------------------------------
    def add_ephemeral(self, channel: str, user: str, body: dict[str, Any]) -> str:
        """Show `body` (text / blocks) to `user` only, in `channel`; returns its ts."""
        with self.lock:
            ts = self.next_ts()
            self.ephemerals.append(
                {
                    "channel": channel,
                    "user": user,
                    "text": body.get("text") or "",
                    "blocks": body.get("blocks"),
                    "attachments": body.get("attachments"),
                    "thread_ts": body.get("thread_ts"),
                    "ts": ts,
                }
            )
            return ts

    def ephemeral(self, user: str, ts: str) -> dict[str, Any] | None:
        with self.lock:
            found = next((e for e in self.ephemerals if e["ts"] == ts and e["user"] == user), None)
            return copy.deepcopy(found)

    def _response(self, key: str, raw: bytes) -> Answer:
        answer = super()._response(key, raw)
        with self.lock:
            self._changes += 1
            target = self._response_urls.get(key)
        if answer.status != 200 or target is None:
            return answer
        body = json.loads(raw)
        if body.get("response_type") == "in_channel" and not body.get("replace_original"):
            return answer
        with self.lock:
            self._apply_response(target, body)
        return answer

    def _apply_response(self, target: dict[str, Any], body: dict[str, Any]) -> None:
        """What Slack does with an answer to a response_url, for the person it is for."""
        origin = str(target.get("origin") or "")
        user, channel = str(target.get("user") or ""), str(target.get("channel") or "")
        original = next(
            (e for e in self.ephemerals if e["ts"] == origin and e["user"] == user), None
        )
        message = self.channels[channel].messages.get(origin) if channel in self.channels else None
        if body.get("delete_original") in (True, "true"):
            if original is not None:
                self.ephemerals.remove(original)
            elif message is not None:
                del self.channels[channel].messages[origin]
            return
        if body.get("replace_original") in (True, "true"):
            if original is not None:
                original.update(text=body.get("text") or "", blocks=body.get("blocks"))
                return
            if message is not None:
                message.update(text=body.get("text") or "", blocks=body.get("blocks"))
                return
        if channel and user:
            ts = self.add_ephemeral(channel, user, body)
            if not origin:  # a command's first answer: what its later answers replace
                target["origin"] = ts

    def ephemerals_for(self, user: str, channel: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(
                [e for e in self.ephemerals if e["user"] == user and e["channel"] == channel]
            )

    # ----- modals ---------------------------------------------------------------------------------
    def trigger_for(self, user: str) -> str:
        """A trigger_id for something `user` did: views it opens are that person's."""
        trigger = self.new_trigger_id()
        with self.lock:
            self.trigger_users[trigger] = user
        return trigger

    def modals_of(self, user: str) -> list[dict[str, Any]]:
        """The modals `user` has open, oldest first (the last one is on top)."""
        with self.lock:
            mine = [
                view
                for view_id, view in self.views.items()
                if view["type"] == "modal"
                and view_id not in self.closed_views
                and self.trigger_users.get(self.view_triggers.get(view_id, "")) == user
            ]
            return copy.deepcopy(sorted(mine, key=lambda view: view["id"]))

    def modal_of(self, user: str, view_id: str) -> dict[str, Any]:
        found = next((v for v in self.modals_of(user) if v["id"] == view_id), None)
        if found is None:
            raise SlackError("view_not_found")
        return found

    def close_view(self, view_id: str) -> None:
        with self.lock:
            self.closed_views.add(view_id)
            self.view_errors.pop(view_id, None)
            self._changes += 1

    def answer_submission(self, user: str, view_id: str, ack: dict[str, Any] | None) -> None:
        """Apply what the app acknowledged a view_submission with (response_action)."""
        ack = ack or {}
        action = ack.get("response_action")
        with self.lock:
            self._changes += 1
            if action == "errors":
                self.view_errors[view_id] = dict(ack.get("errors") or {})
                return
            self.view_errors.pop(view_id, None)
            if action == "update":
                actor = self.tokens[self.bot_token]
                update_view(self, actor, {"view_id": view_id, "view": ack["view"]})
                return
            if action == "push":
                pushed = self.new_id("V")
                trigger = self.trigger_for(user)
                self.view_triggers[pushed] = trigger
                shaped = dict(ack["view"], id=pushed)
                self.views[pushed] = {"state": {"values": {}}, "root_view_id": view_id, **shaped}
                return
            if action == "clear":
                for view in self.modals_of(user):
                    self.closed_views.add(view["id"])
                return
            self.closed_views.add(view_id)

    # ----- threads --------------------------------------------------------------------------------
    def roots(self, channel: str) -> list[dict[str, Any]]:
        """A channel's messages outside threads (and thread roots), oldest first."""
        return [
            m
            for m in self.messages(channel)
            if m.get("thread_ts", m["ts"]) == m["ts"] or m.get("subtype") == "thread_broadcast"
        ]

    def replies_to(self, channel: str, root_ts: str) -> list[dict[str, Any]]:
        return [
            m
            for m in self.messages(channel)
            if m.get("thread_ts") == root_ts and m["ts"] != root_ts
        ]

    @staticmethod
    def in_order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(items, key=lambda m: ts_key(m["ts"]))
