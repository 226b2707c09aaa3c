"""/cop forget me: asks first, then removes the person's data and says what went."""

from __future__ import annotations

from sqlmodel import select

from sandbox.slack import block_actions_payload
from storage import db
from storage.models import ChannelMessage, Kudos, Member, Snippet, UserProfile
from tests.handlers.knowledge_helpers import snippet_at, tags_at
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
    posts_before = {
        m["ts"] for m in copbot.standin.messages("CPYTHON") if m.get("user") == "UCOPBOT"
    }
    done = flatten_text(_click(copbot, copbot.cop("/cop forget me", user="UBOB"), "UBOB", 0))
    assert "removed 1 snippet, 1 endorsement, 1 kudos, 1 membership, 1 cached message" in done
    assert "2 posts it had made in your name" in done
    # copbot's post of Bob's share and its post of Bob's thanks came down; the rest stays
    posts_after = {
        m["ts"] for m in copbot.standin.messages("CPYTHON") if m.get("user") == "UCOPBOT"
    }
    assert len(posts_before - posts_after) == 2 and posts_after
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


ROOT = "Where do we keep the deploy secrets?"


def _thread(copbot: Copbot) -> str:
    """Alice asks; Bob and another Bob Builder (same name, another person) and Ada answer;
    Alice keeps the thread with :bulb:."""
    copbot.standin.add_user("UBOB2", "bobby", real_name="Bob Builder")
    copbot.cop("/cop create Python Guild")
    root = copbot.say(ROOT, user="UALICE")
    copbot.say("in hashicorp vault #vault", user="UBOB", thread_ts=root)
    copbot.say("sops files, encrypted in the repo", user="UBOB2", thread_ts=root)
    copbot.say("both work, we use sops", user="UADMIN", thread_ts=root)
    copbot.react(root, user="UALICE")
    return root


def _forget(copbot: Copbot, user: str) -> str:
    return flatten_text(_click(copbot, copbot.cop("/cop forget me", user=user), user, 0))


def _edited(copbot: Copbot, ts: str, text: str, user: str) -> dict:
    """The message_changed event Slack sends when `user` edits message `ts`."""
    message = copbot.standin.message("CPYTHON", ts)
    assert message is not None
    before = dict(message)
    message.update(text=copbot.standin.typed(text), edited={"user": user, "ts": "1700000009.0"})
    return {
        "type": "message",
        "subtype": "message_changed",
        "channel": "CPYTHON",
        "hidden": True,
        "message": message,
        "previous_message": before,
        "event_ts": "1700000009.000100",
        "ts": "1700000009.000100",
    }


def test_forget_me_takes_my_replies_out_of_threads_others_kept(copbot: Copbot) -> None:
    root = _thread(copbot)
    assert "— Bob Builder: in hashicorp vault #vault" in snippet_at(root).text
    done = _forget(copbot, "UBOB")
    assert "1 reply in threads other people saved" in done and "“(removed)”" in done
    # what a reader sees: Bob's line says it was removed, the rest of the thread stays, and
    # the other Bob Builder keeps his words
    assert snippet_at(root).text == (
        f"{ROOT}\n\n"
        "— (removed)\n"
        "— Bob Builder: sops files, encrypted in the repo\n"
        "— Ada Admin: both work, we use sops"
    )
    assert "vault" not in tags_at(root)
    assert "Nothing in community knowledge matches" in copbot.cop("/cop search hashicorp")
    found = copbot.cop("/cop search sops")
    assert "deploy secrets" in found and "hashicorp" not in found
    with db.session() as session:
        assert not session.exec(
            select(ChannelMessage).where(ChannelMessage.user_id == "UBOB")
        ).all()


def test_a_removed_reply_stays_removed_when_copbot_reads_the_thread_again(
    copbot: Copbot,
) -> None:
    root = _thread(copbot)
    _forget(copbot, "UBOB")
    # Alice edits her question: copbot reads the thread from Slack, which still has Bob's reply
    copbot.event(_edited(copbot, root, ROOT + " (prod)", "UALICE"))
    assert copbot.standin.calls_to("conversations.replies")
    text = snippet_at(root).text
    assert text.startswith(f"{ROOT} (prod)\n\n— (removed)\n— Bob Builder: sops")
    assert "hashicorp" not in text
    # Ada edits her answer: the cache no longer has Bob's reply, his line keeps its place
    ada = next(m["ts"] for m in copbot.standin.messages("CPYTHON") if m["user"] == "UADMIN")
    copbot.event(_edited(copbot, ada, "both work; we use sops", "UADMIN"))
    assert snippet_at(root).text == (
        f"{ROOT} (prod)\n\n"
        "— (removed)\n"
        "— Bob Builder: sops files, encrypted in the repo\n"
        "— Ada Admin: both work; we use sops"
    )
    with db.session() as session:  # nothing of Bob's came back into the cache
        assert not session.exec(
            select(ChannelMessage).where(ChannelMessage.user_id == "UBOB")
        ).all()
        assert not session.exec(select(UserProfile).where(UserProfile.user_id == "UBOB")).all()
    assert copbot.errors == []
