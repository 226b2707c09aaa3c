"""A community's channel archived, deleted, or copbot removed: paused, facilitators told once."""

from __future__ import annotations

from tests.harness import Copbot


def _dms(copbot: Copbot, user: str = "UALICE") -> list[str]:
    return [
        c.args["text"]
        for c in copbot.standin.calls_to("chat.postMessage")
        if c.args["channel"] == user
    ]


def test_archiving_the_channel_pauses_the_community_once(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.event({"type": "channel_archive", "channel": "CPYTHON", "user": "UBOB"})
    copbot.event({"type": "channel_archive", "channel": "CPYTHON", "user": "UBOB"})
    assert "Paused:* its channel was archived" in copbot.cop("/cop info")
    [dm] = _dms(copbot)
    assert "paused *Python Guild*" in dm and "/cop resume" in dm


def test_deleting_a_private_channel_pauses_its_community(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.event({"type": "group_deleted", "channel": "CSECRET"})
    assert "its channel was deleted" in _dms(copbot)[0]


def test_removing_copbot_pauses_and_people_leaving_do_not(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.event(
        {"type": "member_left_channel", "user": "UBOB", "channel": "CPYTHON", "team": "T0001"}
    )
    assert "Paused" not in copbot.cop("/cop info")
    copbot.event(
        {"type": "member_left_channel", "user": "UCOPBOT", "channel": "CPYTHON", "team": "T0001"}
    )
    assert "copbot was removed from its channel" in copbot.cop("/cop info")
    assert len(_dms(copbot)) == 1


def test_channels_that_are_no_community_are_ignored(copbot: Copbot) -> None:
    copbot.event({"type": "channel_archive", "channel": "CRANDOM", "user": "UBOB"})
    assert copbot.standin.calls_to("chat.postMessage") == [] and copbot.errors == []
