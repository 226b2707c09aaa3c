"""Knowledge confirmed a week after it was captured is that week's new knowledge: in the
digest (its count, trend line and first-time contributors), /cop stats, /cop top and the
kudos summary's credits alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.slack_client import make_client
from sandbox.slack import block_actions_payload
from scheduler.kinds import KUDOS
from scheduler.periods import next_run
from scheduler.tick import tick
from storage.clock import utcnow
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import Copbot, buttons, flatten_text


def _confirm_pending(copbot: Copbot) -> None:
    """Alice opens /cop pending and clicks Confirm."""
    listing = copbot.cop("/cop pending")
    button = buttons(listing.responses[0], "confirm_snippet")[0]
    copbot.interactive(
        block_actions_payload(
            user_id="UALICE",
            action_id=button["action_id"],
            value=button["value"],
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON"),
        )
    )


def test_knowledge_confirmed_a_week_after_capture_is_new_in_the_week_it_was_confirmed(
    copbot: Copbot, clock: Callable[[timedelta], None]
) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    ts = copbot.say("Pin CI images by digest, not by tag #ci", user="UBOB")
    copbot.react(ts, user="UBOB")
    assert snippet_at(ts).status == "pending"
    assert "New knowledge" not in copbot.cop("/cop digest")

    clock(timedelta(days=8))  # the facilitator gets to it the week after
    _confirm_pending(copbot)
    assert snippet_at(ts).status == "confirmed"

    digest = copbot.cop("/cop digest")
    assert "New knowledge (1)" in digest and "Pin CI images by digest" in digest
    assert "1 snippet :arrow_upper_right: from 0" in digest
    assert "First contributions from Bob Builder" in digest

    table = copbot.cop("/cop stats 3").text.split("```")[1].strip().splitlines()[1:]
    weeks = [row.split() for row in table]
    # columns: week ("Dec 7": two words), active, snippets, endorse, kudos, replies, first
    assert [w[3] for w in weeks][-1] == "1" and sum(int(w[3]) for w in weeks) == 1
    assert [w[7] for w in weeks] == [w[3] for w in weeks]

    top = copbot.cop("/cop top week")
    assert "Bob Builder" in top.text.split("Knowledge shared")[1]

    client = make_client(token=copbot.standin.bot_token, base_url=copbot.standin.api_url)
    slot = next_run(KUDOS.default_slot, "UTC", utcnow()) + timedelta(minutes=1)
    before = len(copbot.standin.messages("CPYTHON"))
    tick(now=slot, client_for=lambda team: client, catchup_hours=12, claimed_by="test")
    posted = {m["text"]: m for m in copbot.standin.messages("CPYTHON")[before:]}
    # the week's scheduled digest and kudos summary (which credits knowledge, not only kudos)
    [summary] = [m for text, m in posted.items() if "kudos in" in text.lower()]
    assert "Shared knowledge: Bob Builder (1)" in flatten_text(summary["blocks"])
    [digest_post] = [m for text, m in posted.items() if "new snippet" in text]
    assert "Pin CI images by digest" in flatten_text(digest_post["blocks"])
