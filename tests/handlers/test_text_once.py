"""A snippet's text is read once: where its title only repeats its opening (as a title made
from the text does), search results and /cop pending do not show the same words twice."""

from __future__ import annotations

from tests.harness import Copbot, Reply, flatten_text

TIP = (
    "Tip: kubectl rollout undo deploy/api rolls back the last deploy in seconds. Then read "
    "the logs of the failed pods before you try again, and keep the rollout history short "
    "so that undo has something to go back to."
)


def _shown(reply: Reply) -> str:
    """What a person reads: the blocks (the message's `text` is only its notification)."""
    return "\n".join(flatten_text(r.get("blocks") or []) for r in reply.responses)


def test_a_search_result_goes_on_from_its_title(copbot: Copbot) -> None:
    copbot.cop("/cop create Platform Guild")
    copbot.cop(f"/cop share {TIP}")
    found = _shown(copbot.cop("/cop search rollout"))
    assert found.count("kubectl rollout undo") == 1
    assert "failed pods" in found, "the text goes on after the title"


def test_pending_shows_the_text_once_with_its_link(copbot: Copbot) -> None:
    copbot.cop("/cop create Platform Guild")
    copbot.cop("/cop settings confirmation on")
    copbot.cop(f"/cop share {TIP}", user="UBOB")
    pending = _shown(copbot.cop("/cop pending"))
    assert pending.count("kubectl rollout undo") == 1 and "failed pods" in pending
    assert "|Open>" in pending


def test_a_saved_message_waiting_for_confirmation_is_shown_once(copbot: Copbot) -> None:
    copbot.cop("/cop create Platform Guild")
    copbot.cop("/cop settings confirmation on")
    copbot.standin.set_members("CPYTHON", [*copbot.standin.channel_members("CPYTHON"), "UCAROL"])
    ts = copbot.say(TIP, user="UCAROL")
    copbot.react(ts, user="UBOB")
    assert _shown(copbot.cop("/cop pending")).count("kubectl rollout undo") == 1


def test_a_fresh_share_shows_no_zero_count(copbot: Copbot) -> None:
    copbot.cop("/cop create Platform Guild")
    copbot.cop(f"/cop share {TIP}")
    found = _shown(copbot.cop("/cop search rollout"))
    assert ":bulb: 0" not in found and "by Alice Liddell" in found
