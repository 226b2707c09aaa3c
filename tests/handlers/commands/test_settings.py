"""/cop settings and /cop pending: facilitators tune capture and confirm knowledge."""

from __future__ import annotations

from sandbox.slack import block_actions_payload
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import Copbot


def test_settings_are_for_facilitators(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    refused = copbot.cop("/cop settings reactions 3", user="UBOB")
    assert "Only facilitators of *Python Guild* can change settings" in refused
    shown = copbot.cop("/cop settings", user="UADMIN")  # admins are facilitators everywhere
    assert "*Reactions needed:* 1" in shown


def test_changing_settings(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "*Reactions needed:* 3" in copbot.cop("/cop settings reactions 3")
    assert "*Facilitator confirmation:* on" in copbot.cop("/cop settings confirmation on")
    assert ":brain: :bulb:" in copbot.cop("/cop settings knowledge-emoji :brain: bulb")
    ts = copbot.say("New emoji works")
    copbot.react(ts, emoji="brain")
    assert snippet_at(ts) is not None


def test_bad_settings_are_explained(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "number from 1 to 20" in copbot.cop("/cop settings reactions lots")
    assert "number from 1 to 20" in copbot.cop("/cop settings reactions 0")
    assert "`on` or `off`" in copbot.cop("/cop settings confirmation maybe")
    assert "isn't an emoji name" in copbot.cop("/cop settings knowledge-emoji <!channel>")
    assert "already gives kudos" in copbot.cop("/cop settings knowledge-emoji :raised_hands:")
    assert "no setting called `colour`" in copbot.cop("/cop settings colour blue")


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
