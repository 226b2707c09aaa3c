"""/cop forget me: asks first, then removes the person's data and says what went."""

from __future__ import annotations

from sqlmodel import select

from sandbox.slack import block_actions_payload
from storage import db
from storage.models import ChannelMessage, Kudos, Member, Snippet, UserProfile
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import Copbot, flatten_text


def _click(copbot: Copbot, reply, user: str, which: int) -> dict:
    button = next(b for b in reply.responses[0]["blocks"] if b["type"] == "actions")["elements"][
        which
    ]
    copbot.interactive(
        block_actions_payload(
            user_id=user,
            action_id=button["action_id"],
            value=button["value"],
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON"),
        )
    )
    return copbot.standin.responses[-1]["body"]


def test_forget_me_removes_what_copbot_knows_about_the_caller(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop share Bob's tip about pathlib", user="UBOB")
    alices = copbot.say("Alice's message", user="UALICE")
    copbot.react(alices, user="UBOB")  # Bob curates and endorses Alice's words
    copbot.cop("/cop kudos @alice for the guild", user="UBOB")
    copbot.say("just chatting", user="UBOB")
    question = copbot.cop("/cop forget me", user="UBOB")
    assert "cannot be undone" in question
    assert "Nothing was removed" in flatten_text(_click(copbot, question, "UBOB", 1))
    done = flatten_text(_click(copbot, copbot.cop("/cop forget me", user="UBOB"), "UBOB", 0))
    assert "removed 1 snippet, 1 endorsement, 1 kudos, 1 membership and 1 cached message" in done
    with db.session() as session:
        assert not session.exec(select(Snippet).where(Snippet.author_id == "UBOB")).all()
        assert not session.exec(select(Kudos)).all()
        assert not session.exec(select(Member).where(Member.user_id == "UBOB")).all()
        assert not session.exec(
            select(ChannelMessage).where(ChannelMessage.user_id == "UBOB")
        ).all()
        assert not session.exec(select(UserProfile).where(UserProfile.user_id == "UBOB")).all()
    alice = snippet_at(alices)
    # Bob's reaction was its only endorsement: gone with him, and Alice keeps the credit
    assert (alice.curator_id, alice.endorsements, alice.status) == ("UALICE", 0, "withdrawn")
    assert "Nothing in community knowledge matches" in copbot.cop("/cop search pathlib")


def test_forget_needs_the_word_me(copbot: Copbot) -> None:
    assert "/cop forget me" in copbot.cop("/cop forget")
    assert "/cop forget me" in copbot.cop("/cop forget everyone")


def test_the_last_facilitator_is_warned(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "last facilitator of *Python Guild*" in copbot.cop("/cop forget me")
