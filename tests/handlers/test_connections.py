"""No pooled database connection is held while copbot waits on Slack, counted by the pool
itself in the flows a busy workspace runs most: starting a community, welcoming, sharing,
capturing, kudos. (Every test also checks its own thread: tests/conftest.py.)"""

from __future__ import annotations

from storage import db
from tests.harness import Copbot


def test_no_connection_is_held_while_slack_answers(copbot: Copbot) -> None:
    held: list[tuple[str, str, int]] = []
    flow = ["create"]
    engine = db.get_engine()

    def checked_out() -> int:  # less the inbox writer's own (PostgreSQL), which never waits
        return int(engine.pool.checkedout()) - db.kept(engine)  # type: ignore[attr-defined]

    copbot.standin.observe(lambda method, args: held.append((flow[0], method, checked_out())))
    copbot.cop("/cop create Python Guild")
    flow[0] = "welcome"
    copbot.standin.set_members("CPYTHON", [*copbot.standin.channel_members("CPYTHON"), "UCAROL"])
    copbot.event({"type": "member_joined_channel", "user": "UCAROL", "channel": "CPYTHON"})
    flow[0] = "share"
    copbot.cop("/cop share Use pathlib for paths")
    flow[0] = "capture"
    copbot.react(copbot.say("a tip worth keeping", user="UBOB"))
    flow[0] = "kudos"
    copbot.cop("/cop kudos @bob for the review")
    copbot.react(copbot.say("another tip", user="UBOB"), emoji="raised_hands")
    assert {f for f, _, _ in held} == {"create", "welcome", "share", "capture", "kudos"}
    assert [(f, method) for f, method, checked_out in held if checked_out] == []


def test_a_member_already_in_is_not_welcomed_again(copbot: Copbot) -> None:
    """A join copbot has seen (Slack's re-delivery, or the inbox handing it in again) welcomes
    nobody a second time."""
    copbot.cop("/cop create Python Guild")
    copbot.standin.set_members("CPYTHON", [*copbot.standin.channel_members("CPYTHON"), "UCAROL"])
    joined = {"type": "member_joined_channel", "user": "UCAROL", "channel": "CPYTHON"}
    copbot.event(joined)
    copbot.event(joined)  # another delivery with its own event_id
    assert [e["user"] for e in copbot.standin.ephemerals] == ["UCAROL"]
