"""/cop kudos and /cop top over HTTP."""

from __future__ import annotations

from sqlmodel import select

from storage import db
from storage.models import Kudos
from tests.harness import Copbot
from tests.storage.knowledge_helpers import received


def _all_kudos() -> list[tuple[str, str, str]]:
    with db.session() as session:
        rows = session.exec(select(Kudos).order_by(Kudos.id)).all()
    return [(k.giver_id, k.receiver_id, k.source) for k in rows]


def test_kudos_thanks_publicly_and_records_each_receiver(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    reply = copbot.cop("/cop kudos @bob @carol for the migration runbook")
    post = copbot.standin.last_message("CPYTHON")
    assert "<@UALICE> gave kudos to <@UBOB> and <@UCAROL> for the migration runbook" in post["text"]
    assert _all_kudos() == [("UALICE", "UBOB", "command"), ("UALICE", "UCAROL", "command")]
    assert "You thanked Bob Builder and Carol Danvers: 8 of 10 kudos left today." in reply


def test_the_reason_is_escaped_and_required(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "Say what you're thanking them for" in copbot.cop("/cop kudos @bob")
    assert "Who would you like to thank?" in copbot.cop("/cop kudos for nothing in particular")
    copbot.cop("/cop kudos @bob for <!channel> tricks")
    assert "&lt;!channel&gt;" in copbot.standin.last_message("CPYTHON")["text"]


def test_refusals(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "thanking others" in copbot.cop("/cop kudos @alice for being me")
    assert "is an app" in copbot.cop("/cop kudos @ci-bot for green builds")
    assert "is an app" in copbot.cop("/cop kudos @copbot for existing")
    assert "not to user groups" in copbot.cop(
        "/cop kudos <!subteam^S123|@devs> for the release", wire=True
    )
    assert "not in a direct message" in copbot.cop("/cop kudos @bob thanks", channel="DALICE")
    assert "isn't a community yet" in copbot.cop("/cop kudos @bob thanks", channel="CRANDOM")
    assert _all_kudos() == []


def test_plain_names_are_resolved_or_refused(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")  # seeding looks Alice and Bob up, so copbot knows them
    # a name Slack did not link (typed without picking from the @-menu) arrives as text
    copbot.cop("/cop kudos @bob for the review", wire=True)
    assert _all_kudos() == [("UALICE", "UBOB", "command")]
    assert "I can't tell who @nobody is" in copbot.cop("/cop kudos @nobody for nothing")


def test_the_daily_quota(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings kudos-quota 2")
    refused = copbot.cop("/cop kudos @bob @carol @ada for everything")
    assert "That would be 3 kudos, and you have 2 of 2 left today" in refused
    assert "that was your last kudos today" in copbot.cop("/cop kudos @bob @carol for everything")
    assert "You've given all 2 of today's kudos" in copbot.cop("/cop kudos @bob again")
    assert len(_all_kudos()) == 2


def test_leaderboards_name_people_without_pinging(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop kudos @bob for the review")
    copbot.cop("/cop kudos @bob @carol for the demo", user="UADMIN")
    copbot.cop("/cop share Use pathlib #stdlib", user="UBOB")
    board = copbot.cop("/cop top")
    assert "last 7 days" in board
    assert ":first_place_medal: Bob Builder: 2 kudos" in board and "Carol Danvers: 1 kudos" in board
    assert "Bob Builder: 1 snippet" in board
    assert "<@U" not in board.text
    assert "all time" in copbot.cop("/cop top all")
    assert "Pick a period" in copbot.cop("/cop top yesterday")
    assert received(1, "UBOB") == 2


def test_people_tied_on_a_leaderboard_share_their_medal(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop kudos @bob @carol for the demo")
    copbot.cop("/cop kudos @bob @carol for the review", user="UADMIN")
    copbot.cop("/cop kudos @ada for the notes", user="UBOB")
    board = copbot.cop("/cop top").text
    assert ":first_place_medal: Bob Builder: 2 kudos" in board
    assert ":first_place_medal: Carol Danvers: 2 kudos" in board
    assert ":third_place_medal: Ada Admin: 1 kudos" in board  # two people ahead of her
    assert ":second_place_medal:" not in board
