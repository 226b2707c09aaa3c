"""/cop facilitator add|remove, and the last facilitator staying."""

from __future__ import annotations

from tests.harness import Copbot


def test_facilitators_add_and_remove_facilitators(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "Only facilitators" in copbot.cop("/cop facilitator add @bob", user="UBOB")
    assert "is now a facilitator" in copbot.cop("/cop facilitator add @bob")
    assert "already facilitates" in copbot.cop("/cop facilitator add @bob")
    assert "*Reactions needed:*" in copbot.cop("/cop settings", user="UBOB")  # Bob may now
    assert "no longer a facilitator" in copbot.cop("/cop facilitator remove @alice", user="UBOB")
    assert "Only facilitators" in copbot.cop("/cop settings")


def test_the_last_facilitator_stays(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "last facilitator" in copbot.cop("/cop facilitator remove @alice")
    assert "last facilitator" in copbot.cop("/cop leave")
    copbot.cop("/cop facilitator add @bob")
    assert "You've left" in copbot.cop("/cop leave")


def test_facilitator_command_errors(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "Name one person" in copbot.cop("/cop facilitator add")
    assert "Name one person" in copbot.cop("/cop facilitator promote @bob")
    assert "not apps" in copbot.cop("/cop facilitator add @ci-bot")
    assert "isn't a facilitator" in copbot.cop("/cop facilitator remove @bob")
