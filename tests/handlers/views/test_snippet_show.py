"""A long shared post: its start in the channel, the whole of it behind "Show more"."""

from __future__ import annotations

from typing import Any

from sandbox.slack import block_actions_payload
from tests.harness import Copbot, flatten_text

LONG = " ".join(
    f"Step {i}: run the linter & fix what it <finds> before committing." for i in range(40)
)


def _click(copbot: Copbot, value: str, user: str = "UALICE", channel: str = "CPYTHON") -> Any:
    payload = block_actions_payload(
        user_id=user,
        action_id="snippet_show",
        value=value,
        response_url=copbot.standin.new_response_url(channel),
        channel_id=channel,
    )
    return copbot.interactive(payload)


def test_a_long_share_is_posted_collapsed_and_opens_whole(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop(f"/cop share {LONG}", user="UBOB")
    [post] = [m for m in copbot.standin.messages("CPYTHON") if m.get("bot_id")][-1:]
    shown = flatten_text(post["blocks"])
    assert "Step 0: run the linter &amp; fix what it &lt;finds&gt;" in shown
    assert "Step 39" not in shown and "Show more" in shown
    [button] = [e for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    _click(copbot, button["value"], user="UCAROL")
    [opened] = copbot.standin.calls_to("views.open")
    whole = flatten_text(opened.args["view"]["blocks"])
    assert "Step 39: run the linter &amp; fix what it &lt;finds&gt; before committing." in whole
    assert "by Bob Builder" in whole and copbot.errors == []


def test_show_more_never_opens_knowledge_the_clicker_may_not_read(copbot: Copbot) -> None:
    copbot.standin.add_channel(
        "CSECRET", name="secret", is_private=True, members=["UALICE", "UCOPBOT"]
    )
    copbot.cop("/cop create Secret Guild", channel="CSECRET")
    copbot.cop(f"/cop share {LONG}", channel="CSECRET")
    [post] = [m for m in copbot.standin.messages("CSECRET") if m.get("bot_id")][-1:]
    [button] = [e for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    _click(copbot, button["value"], user="UBOB")  # a forged click: Bob isn't in the channel
    assert copbot.standin.calls_to("views.open") == []
    assert "no longer kept" in flatten_text(copbot.standin.responses[-1]["body"])
    _click(copbot, "not a number", user="UBOB")
    assert copbot.standin.calls_to("views.open") == [] and copbot.errors == []
