"""The More button under search results."""

from __future__ import annotations

from sandbox.slack import block_actions_payload
from tests.harness import Copbot, flatten_text


def test_results_come_five_at_a_time_with_more(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    for i in range(7):
        copbot.cop(f"/cop share Logging tip number {i}")
    first = copbot.cop("/cop search logging")
    assert "Results 1–5" in first
    [more] = [
        e for b in first.responses[0]["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    payload = block_actions_payload(
        user_id="UALICE",
        action_id=more["action_id"],
        value=more["value"],
        response_url=copbot.standin.new_response_url("CPYTHON"),
        channel_id="CPYTHON",
    )
    copbot.interactive(payload)
    page_two = copbot.standin.responses[-1]["body"]
    assert page_two["replace_original"] is True
    assert "Results 6–7" in flatten_text(page_two)
    assert not [b for b in page_two["blocks"] if b["type"] == "actions"]
