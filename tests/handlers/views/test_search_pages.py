"""Paging through search results: "Results 6–10 of 11", Previous and Next."""

from __future__ import annotations

from typing import Any

from sandbox.slack import block_actions_payload
from tests.harness import Copbot, flatten_text


def _buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        e["text"]["text"]: e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }


def _click(copbot: Copbot, button: dict[str, Any], user: str = "UALICE") -> dict[str, Any]:
    payload = block_actions_payload(
        user_id=user,
        action_id=button["action_id"],
        value=button["value"],
        response_url=copbot.standin.new_response_url("CPYTHON"),
        channel_id="CPYTHON",
    )
    copbot.interactive(payload)
    page = copbot.standin.responses[-1]["body"]
    assert page["replace_original"] is True
    return page


def test_results_come_five_at_a_time_with_their_count_previous_and_next(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    for i in range(11):
        copbot.cop(f"/cop share Logging tip number {i}")
    first = copbot.cop("/cop search logging").responses[0]
    assert "Results 1–5 of 11 for “logging”" in flatten_text(first)
    assert list(_buttons(first)) == ["Next"]
    second = _click(copbot, _buttons(first)["Next"])
    assert "Results 6–10 of 11" in flatten_text(second)
    assert list(_buttons(second)) == ["Previous", "Next"]
    last = _click(copbot, _buttons(second)["Next"])
    assert "Result 11 of 11" in flatten_text(last) and "Results 11" not in flatten_text(last)
    assert list(_buttons(last)) == ["Previous"]
    back = _click(copbot, _buttons(last)["Previous"])
    assert "Results 6–10 of 11" in flatten_text(back)


def test_one_page_of_results_needs_no_count_nor_buttons(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    for i in range(3):
        copbot.cop(f"/cop share Logging tip number {i}")
    only = copbot.cop("/cop search logging").responses[0]
    assert "3 results for “logging”" in flatten_text(only) and not _buttons(only)


def test_the_count_leaves_out_what_the_searcher_may_not_see(copbot: Copbot) -> None:
    """Knowledge of a private channel (a C… id, as Slack gives every channel now) counts only
    for its members."""
    copbot.standin.add_channel(
        "CSECRET", name="secret", is_private=True, members=["UALICE", "UCOPBOT"]
    )
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop create Secret Guild", channel="CSECRET")
    for i in range(6):
        copbot.cop(f"/cop share Logging tip number {i}")
    for i in range(4):
        copbot.cop(f"/cop share Logging secret {i}", channel="CSECRET")
    alice = copbot.cop("/cop search logging").responses[0]
    assert "Results 1–5 of 10" in flatten_text(alice)
    bob = copbot.cop("/cop search logging", user="UBOB").responses[0]
    assert "Results 1–5 of 6" in flatten_text(bob)
    last = _click(copbot, _buttons(bob)["Next"], user="UBOB")
    assert "Result 6 of 6" in flatten_text(last) and "secret" not in flatten_text(last)
