"""The door: what a request thread does with each request Slack sends, and nothing more.

The request was verified before it got here (bot/gate.py over HTTP; Slack's own connection in
Socket Mode). The door records it in the inbox (bot.recorder: one transaction for every
request that arrived meanwhile) and answers:

- an event, a slash command, a button or a shortcut is answered with an empty 200 as soon
  as it is recorded (a command's reply comes through its response_url);
- a form's submission is answered with what its listener acknowledges (errors under a field,
  a new view); the request thread waits for that on this process's forms lane;
- anything else (Slack's url_verification, an ssl_check) goes straight to Bolt.

Its work is left in the inbox for the work processes (bot/worker.py), due at once, marked
with its lane so that what people wait for is taken first. When the door and the work share
a process (`local`: the sandbox, the tests, COP_WORK_PROCESSES=0) the door hands the work to
its worker directly, and leaves in the inbox only what does not fit in a full lane.

A request seen before (a re-delivered event, a replayed trigger_id) is answered and not done.
One the inbox cannot take gets a 503 (an event: Slack sends it again) or is refused to the
person in plain words (a command or interaction: Slack never sends those again).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request.internals import extract_team_id

from bot.inbox import LEASE, request_key, what_was_asked
from bot.recorder import NotRecorded
from bot.work import BACKGROUND, FORMS, INTERACTIVE
from bot.worker import Answer, Worker
from storage import inbox
from storage.clock import utcnow

log = logging.getLogger("copbot.door")

FORM_ANSWER_SECONDS = 2.5  # Slack waits 3 seconds for a form's answer
# Events whose work a person is waiting to see: they go in the interactive lane.
INTERACTIVE_EVENTS = frozenset({"app_home_opened", "app_mention"})
NOT_TAKEN_IN = (
    ":warning: copbot couldn't take that in just now (its database didn't answer), so "
    "nothing was done. Please try again in a moment."
)
NOT_TAKEN_IN_FIELD = "copbot couldn't save this just now. Please submit again in a moment."
OK = 200


def lane_of(body: dict[str, Any]) -> str:
    """The lane a request's work runs in (bot.work)."""
    if body.get("type") == "event_callback":
        event = body.get("event")
        kind = event.get("type") if isinstance(event, dict) else None
        return INTERACTIVE if kind in INTERACTIVE_EVENTS else BACKGROUND
    return FORMS if body.get("type") == "view_submission" else INTERACTIVE


def key_of(body: dict[str, Any]) -> str | None:
    """The inbox key of a request: an event's event_id, a command's or interaction's
    trigger_id; None for what goes straight to Bolt."""
    if body.get("type") == "event_callback":
        event_id = body.get("event_id")
        return str(event_id)[:64] if isinstance(event_id, str) and event_id else None
    return request_key(body)


class Door:
    """Records and answers every request to one Bolt app, and sees that its work is done.

    Args:
        worker: this process's worker (its app, lanes and inbox writer).
        local: whether this process does the work too (else work processes do).
    """

    def __init__(self, worker: Worker, *, local: bool) -> None:
        self.worker = worker
        self.local = local

    @property
    def app(self) -> App:
        return self.worker.app

    def receive(
        self, body: dict[str, Any], *, raw: str, inline: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Answer one verified request and see to its work.

        Args:
            body: the request's payload, parsed.
            raw: its body as Slack sent it (JSON for events), or "" to store `body` as JSON.
            inline: dispatches the request to Bolt in this thread, for what the door leaves
                to Bolt (url_verification, ssl_check).
        """
        key = key_of(body)
        if key is None:
            return inline()
        lane = lane_of(body)
        here = lane == FORMS or (self.local and self.worker.room(lane) > 0)
        now = utcnow()
        # an event's JSON as Slack sent it; anything else (a form, or an event someone sent
        # as one) as read
        as_sent = raw.startswith("{") and body.get("type") == "event_callback"
        arrival = inbox.Arrival(
            event_id=key,
            team_id=str(extract_team_id(body) or ""),
            body=raw if as_sent else json.dumps(body),
            lease_until=now + LEASE if here else now,  # left for a taker: due at once
            asked=what_was_asked(body),
            attempts=1 if here else 0,
            lane=lane,
        )
        try:
            outcome = self.worker.recorder.record(arrival)
        except NotRecorded as exc:
            log.warning("%s not recorded (%s): not done", key[:28], exc)
            return self._not_taken_in(body, lane)
        if outcome == inbox.SEEN:
            again = "re-delivered event" if key == body.get("event_id") else "replayed request"
            log.info("skipping %s %s", again, key[:28])
            return BoltResponse(status=OK, body="")
        if not here:
            if self.local:
                self.worker.wanted()
            return BoltResponse(status=OK, body="")
        if lane == FORMS:
            return self._answer_form(key, body)
        self.worker.start(key, body, lane=lane)
        return BoltResponse(status=OK, body="")

    def _answer_form(self, key: str, body: dict[str, Any]) -> BoltResponse:
        answer = Answer()
        self.worker.start(key, body, lane=FORMS, answer=answer)
        response = answer.wait(FORM_ANSWER_SECONDS)
        if response is None:
            log.warning("a form's answer took over %ss: closing it", FORM_ANSWER_SECONDS)
            return BoltResponse(status=OK, body="")
        return response

    def _not_taken_in(self, body: dict[str, Any], lane: str) -> BoltResponse:
        """The inbox could not take the request in: nothing will be done, and whoever sent
        it hears so (Slack by a 503 for an event, the person in words for the rest)."""
        if body.get("type") == "event_callback":
            return BoltResponse(status=503, body="")
        if body.get("command"):
            refusal = {"response_type": "ephemeral", "text": NOT_TAKEN_IN}
            return BoltResponse(status=OK, body=refusal)
        field = _first_field(body) if lane == FORMS else None
        if field:
            errors = {"response_action": "errors", "errors": {field: NOT_TAKEN_IN_FIELD}}
            return BoltResponse(status=OK, body=errors)
        self.worker.tell_not_taken_in(body)  # a button or a shortcut: told privately
        return BoltResponse(status=OK, body="")

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until every piece of work this process took has finished and is marked done
        (tests, benchmarks)."""
        self.worker.wait_idle(timeout)

    def close(self, *, wait: float) -> None:
        """Stop: work this process took and never started goes back to the inbox; running
        work gets `wait` seconds to finish."""
        self.worker.close(wait=wait)


def _first_field(body: dict[str, Any]) -> str | None:
    view = body.get("view")
    blocks = view.get("blocks") if isinstance(view, dict) else None
    return next(
        (
            b["block_id"]
            for b in blocks or []
            if isinstance(b, dict) and b.get("type") == "input" and b.get("block_id")
        ),
        None,
    )
