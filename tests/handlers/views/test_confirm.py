"""The Confirm button on pending knowledge."""

from __future__ import annotations

from sandbox.slack import block_actions_payload
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import Copbot


def test_pending_knowledge_is_confirmed_with_a_button(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    ts = copbot.say("Keep secrets out of git history", user="UBOB")
    copbot.react(ts, user="UBOB")
    assert snippet_at(ts).status == "pending"
    assert "Only facilitators" in copbot.cop("/cop pending", user="UBOB")
    listing = copbot.cop("/cop pending")
    assert "Keep secrets out of git history" in listing
    button = next(
        b["accessory"]
        for b in listing.responses[0]["blocks"]
        if b.get("accessory", {}).get("action_id")
    )
    for user in ("UBOB", "UALICE"):  # Bob is refused, Alice confirms
        copbot.interactive(
            block_actions_payload(
                user_id=user,
                action_id=button["action_id"],
                value=button["value"],
                channel_id="CPYTHON",
                response_url=copbot.standin.new_response_url("CPYTHON"),
            )
        )
    assert snippet_at(ts).status == "confirmed"
    assert "Nothing is waiting" in str(copbot.standin.responses[-1]["body"])
    assert any("Only facilitators" in str(r["body"]) for r in copbot.standin.responses)
