"""Newcomers to a community channel are welcomed privately, unless they muted copbot."""

from __future__ import annotations

from tests.harness import Copbot, flatten_text


def _join(copbot: Copbot, user: str) -> None:
    copbot.standin.set_members("CPYTHON", [*copbot.standin.channel_members("CPYTHON"), user])
    copbot.event(
        {"type": "member_joined_channel", "user": user, "channel": "CPYTHON", "team": "T0001"}
    )


def test_a_newcomer_is_welcomed_privately_with_the_best_knowledge(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild — all things Python")
    for tip in ("Use ruff", "Pin dependencies", "Type hints help", "Write docstrings"):
        copbot.cop(f"/cop share {tip}")
    ts = copbot.say("Prefer pathlib")
    for user in ("UALICE", "UBOB"):
        copbot.react(ts, user=user)
    _join(copbot, "UCAROL")
    [welcome] = [e for e in copbot.standin.ephemerals if e["user"] == "UCAROL"]
    text = flatten_text(welcome["blocks"])
    assert "Welcome to *Python Guild*" in text and "all things Python" in text
    assert "Facilitated by Alice Liddell" in text and "/cop share" in text
    assert "Prefer pathlib" in text.split("Most endorsed so far")[1]  # the most endorsed first
    assert text.count("• <https://") == 3


def test_muted_people_and_bots_get_no_welcome(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "won't welcome you" in copbot.cop("/cop mute", user="UCAROL", channel="CRANDOM")
    assert "already muted" in copbot.cop("/cop mute", user="UCAROL", channel="CRANDOM")
    _join(copbot, "UCAROL")
    _join(copbot, "UOTHERBOT")
    assert copbot.standin.ephemerals == []
    assert "*Members:* 3" in copbot.cop("/cop info")  # muted, but a member all the same
    assert "again" in copbot.cop("/cop unmute", user="UCAROL", channel="CRANDOM")


def test_muted_facilitators_are_not_told_about_a_pause(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop mute")
    copbot.event({"type": "channel_archive", "channel": "CPYTHON", "user": "UBOB"})
    assert [
        c for c in copbot.standin.calls_to("chat.postMessage") if c.args["channel"] == "UALICE"
    ] == []
