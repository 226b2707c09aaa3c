"""Facilitators learn that knowledge waits for them: a private note a day at most, and a line
in the digest."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from sandbox.slack import block_actions_payload
from storage import db
from storage.models import Member
from tests.harness import Copbot, buttons, flatten_text


def _notes(copbot: Copbot, user: str) -> list[str]:
    return [
        c.args["text"]
        for c in copbot.standin.calls_to("chat.postMessage")
        if c.args["channel"] == user and "waits for your confirmation" in c.args["text"]
    ]


def _guild(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop facilitator add @carol")
    copbot.cop("/cop settings confirmation on")
    copbot.cop("/cop settings reactions 2")


def test_facilitators_hear_once_a_day_that_knowledge_waits(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("Keep secrets in the vault", user="UBOB")
    copbot.react(ts, user="UBOB")  # one of the two reactions it needs: nothing to confirm yet
    assert _notes(copbot, "UALICE") == []
    copbot.react(ts, user="UADMIN", emoji="books")  # Ada, an admin, confirms by reacting
    later = copbot.say("Rotate keys every quarter", user="UBOB")
    copbot.cop("/cop share Pin your CI images", user="UBOB")  # waits for a facilitator
    [alice] = _notes(copbot, "UALICE")
    [carol] = _notes(copbot, "UCAROL")
    assert alice == carol
    assert "in *Python Guild*: “Pin your CI images”. `/cop pending` in <#CPYTHON>" in alice
    copbot.cop("/cop share Use short-lived tokens", user="UBOB")
    copbot.react(later, user="UBOB")  # waits for a second reaction, not for a facilitator
    assert len(_notes(copbot, "UALICE")) == 1  # once a day, however much more waits
    with db.session() as session:  # a day later
        for member in session.exec(select(Member).where(Member.pending_noted_at.is_not(None))):
            member.pending_noted_at = member.pending_noted_at - timedelta(days=1)
            session.add(member)
        session.commit()
    copbot.cop("/cop share Review dependabot weekly", user="UBOB")
    assert "and 2 more" in _notes(copbot, "UALICE")[-1]
    assert len(_notes(copbot, "UALICE")) == 2 and len(_notes(copbot, "UCAROL")) == 2


def test_a_facilitator_who_muted_copbot_is_not_told(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop mute", user="UCAROL")
    copbot.cop("/cop share Pin your CI images", user="UBOB")
    assert len(_notes(copbot, "UALICE")) == 1 and _notes(copbot, "UCAROL") == []


def test_the_digest_says_what_waits_for_a_facilitator(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop share Pin your CI images", user="UBOB")
    copbot.cop("/cop share Use short-lived tokens", user="UBOB")
    ts = copbot.say("Keep secrets in the vault", user="UBOB")
    copbot.react(ts, user="UBOB")  # still needs a second reaction: not a facilitator's to do
    copbot.cop("/cop kudos @bob for the tips")  # not a quiet week
    preview = flatten_text(copbot.cop("/cop digest").responses)
    assert "2 pieces of knowledge wait for a facilitator to confirm: `/cop pending`." in preview


def test_the_note_settles_the_knowledge_right_there(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop share Pin your CI images", user="UBOB")
    [note] = [
        c.args
        for c in copbot.standin.calls_to("chat.postMessage")
        if c.args["channel"] == "UALICE" and "waits for your confirmation" in c.args["text"]
    ]
    confirm = buttons({"blocks": note["blocks"]}, "confirm_snippet")
    assert confirm and buttons({"blocks": note["blocks"]}, "reject_snippet")[0].get("confirm")
    payload = block_actions_payload(
        user_id="UALICE",
        action_id="confirm_snippet",
        value=confirm[0]["value"],
        channel_id="DALICE",
        response_url=copbot.standin.new_response_url("DALICE", user="UALICE"),
    )
    copbot.interactive(payload)
    shown = flatten_text(copbot.standin.responses[-1]["body"])
    assert "Confirmed “Pin your CI images”" in shown
