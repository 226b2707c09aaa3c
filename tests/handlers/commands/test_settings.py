"""/cop settings and /cop pending: facilitators tune capture and confirm knowledge."""

from __future__ import annotations

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
