"""/cop prompt: the community's bank of discussion prompts, numbered within it."""

from __future__ import annotations

from storage.default_prompts import DEFAULT_PROMPTS
from tests.harness import Copbot


def test_prompts_are_numbered_within_the_community(copbot: Copbot) -> None:
    copbot.standin.add_channel("CRUST", name="rust", members=["UALICE", "UCOPBOT"])
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop create Coffee Club", channel="CRUST")
    builtin = len(DEFAULT_PROMPTS)
    added = copbot.cop("/cop prompt add Which beans surprised you?", channel="CRUST")
    assert f"Added prompt `{builtin + 1}`: it is 1st in line to be posted" in added
    assert f"Added prompt `{builtin + 1}`: it is 1st" in copbot.cop(
        "/cop prompt add What broke today?"
    )
    second = copbot.cop("/cop prompt add Which grinder do you use?", channel="CRUST")
    assert f"Added prompt `{builtin + 2}`: it is 2nd in line" in second
    listing = copbot.cop("/cop prompt list", channel="CRUST").text
    assert f"`{builtin + 1}` Which beans surprised you? _(added here)_" in listing
    assert "`1` " in listing and "built in" not in listing
    assert "our field" not in listing
    assert "Removed prompt" in copbot.cop(f"/cop prompt remove {builtin + 1}", channel="CRUST")
    assert "What broke today?" in copbot.cop("/cop prompt list").text  # the other bank's stays
    assert "Which one?" in copbot.cop("/cop prompt remove ²")
