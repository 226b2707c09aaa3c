"""Channel joins and leaves keep membership in step."""

from __future__ import annotations

from tests.harness import Copbot


def _joined(user: str, channel: str = "CPYTHON") -> dict:
    return {
        "type": "member_joined_channel",
        "user": user,
        "channel": channel,
        "channel_type": "C",
        "team": "T0001",
    }


def _left(user: str, channel: str = "CPYTHON") -> dict:
    return {
        "type": "member_left_channel",
        "user": user,
        "channel": channel,
        "channel_type": "C",
        "team": "T0001",
    }


def test_joining_and_leaving_the_channel_updates_membership(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert copbot.event(_joined("UCAROL")).status == 200
    assert "*Members:* 3" in copbot.cop("/cop info")
    copbot.event(_left("UCAROL"))
    copbot.event(_left("UBOB"))
    assert "*Members:* 1" in copbot.cop("/cop info")


def test_bots_do_not_become_members(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.event(_joined("UOTHERBOT"))
    copbot.event(_joined("UCOPBOT"))
    assert "*Members:* 2" in copbot.cop("/cop info")


def test_events_for_unknown_channels_are_ignored(copbot: Copbot) -> None:
    assert copbot.event(_joined("UCAROL", channel="CUNKNOWN")).status == 200
    assert copbot.event(_left("UCAROL", channel="CUNKNOWN")).status == 200
    assert copbot.errors == []
    assert copbot.standin.calls_to("chat.postMessage") == []
