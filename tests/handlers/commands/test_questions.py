"""/cop questions: open ones oldest first with their replies, answered ones with who answered,
someone's own; a private channel's only for its members."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.blocks.questions import ago, duration
from sandbox.slack import block_actions_payload
from storage import db
from storage.models import Question
from tests.harness import Copbot, buttons, flatten_text


def _questions() -> list[Question]:
    with db.session() as session:
        return list(session.exec(select(Question).order_by(Question.id)))


def test_open_answered_and_mine(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "No open questions in *Python Guild*" in copbot.cop("/cop questions")
    first = copbot.say("How do I pin <dependencies> in a monorepo?", user="UBOB")
    copbot.say("Does anyone use Renovate with GitLab?", user="UALICE")
    copbot.say("Lock files, always", user="UALICE", thread_ts=first)
    listing = copbot.cop("/cop questions", user="UCAROL")
    assert "Open questions in *Python Guild*, the longest waiting first (2)" in listing
    text = listing.text
    assert text.index("pin &lt;dependencies&gt;") < text.index("Renovate"), "oldest first"
    assert "asked by Bob Builder just now · 1 reply" in text
    assert "asked by Alice Liddell just now · no reply yet" in text
    assert "|How do I pin &lt;dependencies&gt; in a monorepo?>" in text, "linked to the message"

    copbot.say("Thanks, that worked", user="UBOB", thread_ts=first)
    answered = copbot.cop("/cop questions answered").text
    assert "pin &lt;dependencies&gt;" in answered and "answered by Alice Liddell" in answered
    assert "pin &lt;dependencies&gt;" not in copbot.cop("/cop questions open").text
    mine = copbot.cop("/cop questions mine", user="UBOB").text
    assert "Your questions in *Python Guild*" in mine and "Renovate" not in mine
    assert "You haven't asked a question" in copbot.cop("/cop questions mine", user="UCAROL")
    assert "I know open, answered and mine" in copbot.cop("/cop questions everything")


def test_a_private_channels_questions_are_listed_only_to_its_members(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop channel add #secret")
    copbot.say("Where do we keep the vault code?", user="UALICE", channel="CSECRET")
    copbot.say("Which linter do you use for Terraform?", user="UBOB")
    bobs = copbot.cop("/cop questions", user="UBOB").text
    assert "Terraform" in bobs and "vault" not in bobs and "(1)" in bobs
    assert "vault" in copbot.cop("/cop questions").text, "Alice is in #secret"


def test_ages_read_as_people_say_them() -> None:
    assert ago(timedelta(seconds=20)) == "just now"
    assert ago(timedelta(minutes=1)) == "1 minute ago"
    assert ago(timedelta(hours=3, minutes=5)) == "3 hours ago"
    assert ago(timedelta(days=2, hours=23)) == "2 days ago"
    assert ago(timedelta(days=15)) == "2 weeks ago"


def test_waits_read_short() -> None:
    assert duration(timedelta(seconds=30)) == "under a minute"
    assert duration(timedelta(minutes=45)) == "45 min"
    assert duration(timedelta(hours=2, minutes=10)) == "2 h 10 min"
    assert duration(timedelta(hours=12, minutes=10)) == "12 h"
    assert duration(timedelta(days=3, hours=5)) == "3 days"


def _click(copbot: Copbot, button: dict[str, Any], user: str = "UALICE") -> str:
    copbot.interactive(
        block_actions_payload(
            user_id=user,
            action_id=button["action_id"],
            value=button["value"],
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON", user=user),
        )
    )
    return flatten_text(copbot.standin.responses[-1]["body"])


def test_facilitators_close_and_reopen_questions(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.say("Anyone going to the PyData meetup on Thursday?", user="UBOB")
    assert buttons(copbot.cop("/cop questions", user="UBOB").responses[0]) == [], "members"
    listing = copbot.cop("/cop questions").responses[0]
    [close] = buttons(listing, "question_close")
    assert "Only facilitators" in _click(copbot, close, user="UBOB")
    closed = _click(copbot, close)
    assert "Closed “Anyone going to the PyData meetup on Thursday?”." in closed
    assert "No open questions" in closed
    assert "was no longer open" in _click(copbot, close), "a second click changes nothing"
    mine = copbot.cop("/cop questions mine", user="UBOB").text
    assert "closed by a facilitator" in mine
    settled = copbot.cop("/cop questions answered").responses[0]
    [reopen] = buttons(settled, "question_reopen")
    reopened = _click(copbot, reopen)
    assert "Reopened “Anyone going to the PyData meetup on Thursday?”." in reopened
    assert _questions()[0].status == "open" and _questions()[0].answered_at is None
    assert "open already" in _click(copbot, reopen)


def test_a_forged_or_foreign_question_button_is_refused(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.say("Where is the vault code kept?", user="UALICE", channel="CSECRET")
    copbot.cop("/cop create Python Guild", user="UBOB")  # Bob facilitates another community
    [question] = _questions()
    forged = {"action_id": "question_close", "value": json.dumps({"q": question.id, "w": "open"})}
    answer = _click(copbot, forged, user="UBOB")
    assert "no longer there" in answer, "a private channel's question is not there for Bob"
    assert "vault" not in answer and "Secret Society" not in answer
    for value in ("", "{}", '{"q": "1", "w": "open"}', '{"q": 99999, "w": "open"}'):
        damaged = {"action_id": "question_reopen", "value": value}
        assert "no longer there" in _click(copbot, damaged)
    assert _questions()[0].status == "open"
    assert copbot.errors == []
