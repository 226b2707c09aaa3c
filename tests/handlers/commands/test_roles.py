"""/cop facilitator add|remove, and the last facilitator staying."""

from __future__ import annotations

import threading

from tests.harness import Copbot


def test_facilitators_add_and_remove_facilitators(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "Only facilitators" in copbot.cop("/cop facilitator add @bob", user="UBOB")
    assert "is now a facilitator" in copbot.cop("/cop facilitator add @bob")
    assert "already facilitates" in copbot.cop("/cop facilitator add @bob")
    assert "*Reactions needed:* 2" in copbot.cop("/cop settings reactions 2", user="UBOB")
    assert "no longer a facilitator" in copbot.cop("/cop facilitator remove @alice", user="UBOB")
    assert "Only facilitators" in copbot.cop("/cop settings reactions 1")


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


def _dms(copbot: Copbot, user: str) -> list[str]:
    return [
        c.args["text"]
        for c in copbot.standin.calls_to("chat.postMessage")
        if c.args["channel"] == user
    ]


def test_people_made_or_removed_as_facilitator_are_told_what_it_means(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    reply = copbot.cop("/cop facilitator add @bob")
    assert "<@UBOB> is now a facilitator of *Python Guild*. They were told privately." in reply
    [made] = _dms(copbot, "UBOB")
    assert "made you a facilitator of *Python Guild*" in made and "`/cop pending`" in made
    copbot.cop("/cop facilitator add @bob")  # nothing changes: nobody is told again
    assert len(_dms(copbot, "UBOB")) == 1
    copbot.cop("/cop facilitator remove @bob")
    assert "removed you as a facilitator of *Python Guild*" in _dms(copbot, "UBOB")[-1]
    copbot.cop("/cop mute", user="UCAROL")
    reply = copbot.cop("/cop facilitator add @carol")
    assert "They muted copbot, so they weren't told." in reply and _dms(copbot, "UCAROL") == []
    copbot.cop("/cop facilitator remove @alice", user="UCAROL")  # Carol steps Alice down
    assert "removed you" in _dms(copbot, "UALICE")[-1]


def _four_at_once(copbot: Copbot, typed: str) -> None:
    """The same command sent four times at once (a double-clicked Enter, a retrying client)."""
    text = copbot.standin.typed(typed, command=True)
    barrier = threading.Barrier(4)

    def send() -> None:
        barrier.wait()
        copbot.sender.command(text, user="UALICE", channel="CPYTHON")

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    copbot.wait_idle()


def _told_bob(copbot: Copbot, words: str) -> int:
    sent = copbot.standin.calls_to("chat.postMessage")
    return sum(c.args["channel"] == "UBOB" and words in c.args["text"] for c in sent)


def test_the_same_change_sent_at_once_tells_the_person_once(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    _four_at_once(copbot, "facilitator add @bob")
    assert _told_bob(copbot, "made you a facilitator") == 1
    _four_at_once(copbot, "facilitator remove @bob")
    assert _told_bob(copbot, "removed you as a facilitator") == 1
