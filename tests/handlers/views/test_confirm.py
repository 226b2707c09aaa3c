"""The Confirm and Reject buttons on pending knowledge."""

from __future__ import annotations

from typing import Any

from sandbox.slack import block_actions_payload
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import Copbot, buttons, flatten_text


def _buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        e["text"]["text"]: e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }


def _click(copbot: Copbot, button: dict[str, Any], user: str = "UALICE") -> str:
    copbot.interactive(
        block_actions_payload(
            user_id=user,
            action_id=button["action_id"],
            value=button["value"],
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON"),
        )
    )
    return flatten_text(copbot.standin.responses[-1]["body"])


def _told(copbot: Copbot) -> list[Any]:
    """What Carol was told privately of a rejection."""
    return [
        c
        for c in copbot.standin.calls_to("chat.postMessage")
        if c.args["channel"] == "UCAROL" and "didn't keep" in c.args["text"]
    ]


def _pending_reaction(copbot: Copbot, text: str) -> str:
    ts = copbot.say(text, user="UBOB")
    copbot.react(ts, user="UCAROL")  # Carol captures Bob's message: she is its curator
    assert snippet_at(ts).status == "pending"
    return ts


def test_pending_knowledge_is_confirmed_with_a_button(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    ts = _pending_reaction(copbot, "Keep secrets out of git history")
    assert "Only facilitators" in copbot.cop("/cop pending", user="UBOB")
    listing = copbot.cop("/cop pending").responses[0]
    assert "Keep secrets out of git history" in flatten_text(listing)
    assert "Only facilitators" in _click(copbot, _buttons(listing)["Confirm"], user="UBOB")
    shown = _click(copbot, _buttons(listing)["Confirm"])
    assert snippet_at(ts).status == "confirmed"
    assert "Confirmed “Keep secrets out of git history”: it is now community knowledge." in shown
    assert "Nothing else is waiting" in shown


def test_reject_asks_first_as_slack_shows_a_confirmation_dialog(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    _pending_reaction(copbot, "Keep secrets out of git history")
    reject = _buttons(copbot.cop("/cop pending").responses[0])["Reject"]
    dialog = reject["confirm"]
    assert dialog["title"]["text"] == "Reject this knowledge?" and dialog["style"] == "danger"
    assert "withdrawn for good" in dialog["text"]["text"]
    assert dialog["confirm"]["text"] == "Reject" and dialog["deny"]["text"] == "Cancel"
    assert len(dialog["title"]["text"]) <= 100 and len(dialog["text"]["text"]) <= 300
    assert "confirm" not in _buttons(copbot.cop("/cop pending").responses[0])["Confirm"]


def test_a_rejected_snippet_is_withdrawn_for_good_and_its_curator_told_once(
    copbot: Copbot,
) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    ts = _pending_reaction(copbot, "Store passwords in the wiki")
    kept = _pending_reaction(copbot, "Rotate keys every quarter")
    listing = copbot.cop("/cop pending").responses[0]
    rejects = [
        e
        for b in listing["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == "Reject"
    ]
    assert "Only facilitators" in _click(copbot, rejects[0], user="UBOB")
    shown = _click(copbot, rejects[0])
    assert "Rejected “Store passwords in the wiki”. Carol Danvers was told privately." in shown
    assert "Rotate keys every quarter" in shown and "1 snippet waiting" in shown
    assert (snippet_at(ts).status, snippet_at(ts).rejected_by) == ("withdrawn", "UALICE")
    told = _told(copbot)
    assert len(told) == 1 and "didn't keep “Store passwords in the wiki”" in told[0].args["text"]
    again = _click(copbot, rejects[0])  # a second click, or another facilitator's
    assert "no longer waits" in again
    copbot.react(ts, user="UADMIN")  # more reactions never bring it back
    assert snippet_at(ts).status == "withdrawn"
    assert len(_told(copbot)) == 1
    assert "Store passwords" not in copbot.cop("/cop search passwords")
    assert snippet_at(kept).status == "pending"


def test_a_curator_who_muted_copbot_is_not_told(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    _pending_reaction(copbot, "Deploy on Fridays")
    copbot.cop("/cop mute", user="UCAROL")
    listing = copbot.cop("/cop pending").responses[0]
    shown = _click(copbot, _buttons(listing)["Reject"])
    assert "Carol Danvers muted copbot, so they weren't told." in shown
    assert not _told(copbot)


def test_a_shared_post_says_what_became_of_it(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    copbot.cop("/cop share Pin your dependencies", user="UBOB")
    copbot.cop("/cop share Vendor everything", user="UCAROL")
    posts = [m for m in copbot.standin.messages("CPYTHON") if m.get("bot_id")][-2:]
    assert all("waiting for a facilitator" in flatten_text(p["blocks"]) for p in posts)
    listing = copbot.cop("/cop pending").responses[0]
    confirm, reject = buttons(listing, "confirm_snippet")[0], buttons(listing, "reject_snippet")[1]
    _click(copbot, confirm)
    _click(copbot, reject)
    kept, dropped = (copbot.standin.message("CPYTHON", p["ts"]) for p in posts)
    assert "saved to Python Guild knowledge" in flatten_text(kept["blocks"])
    assert "Pin your dependencies" in flatten_text(kept["blocks"])
    assert "not kept as Python Guild knowledge" in flatten_text(dropped["blocks"])
    assert "waiting" not in flatten_text(kept["blocks"]) + flatten_text(dropped["blocks"])
    assert copbot.errors == []
