"""The message cache, and edits and deletions of captured messages."""

from __future__ import annotations

from sqlmodel import delete, select

from sandbox.slack import block_actions_payload, message_event
from storage import db, messages
from storage.models import SnippetReply
from tests.handlers.knowledge_helpers import save_with_shortcut, snippet_at, tags_at
from tests.harness import TEAM, Copbot


def _changed(ts: str, text: str, *, thread_ts: str | None = None, channel: str = "CPYTHON") -> dict:
    edited = {
        "type": "message",
        "user": "UBOB",
        "text": text,
        "ts": ts,
        "edited": {"user": "UBOB", "ts": "1"},
    }
    if thread_ts:
        edited["thread_ts"] = thread_ts
    return {
        "type": "message",
        "subtype": "message_changed",
        "channel": channel,
        "hidden": True,
        "message": edited,
        "previous_message": {"type": "message", "user": "UBOB", "text": "old", "ts": ts},
        "event_ts": "1700000001.000001",
        "ts": "1700000001.000001",
    }


def _deleted(ts: str, *, thread_ts: str | None = None, channel: str = "CPYTHON") -> dict:
    previous = {"type": "message", "user": "UBOB", "text": "gone", "ts": ts}
    if thread_ts:
        previous["thread_ts"] = thread_ts
    return {
        "type": "message",
        "subtype": "message_deleted",
        "channel": channel,
        "hidden": True,
        "deleted_ts": ts,
        "previous_message": previous,
        "event_ts": "1700000002.000001",
        "ts": "1700000002.000001",
    }


def _cached(ts: str, channel: str = "CPYTHON"):
    with db.session() as session:
        return messages.cached_message(session=session, team_id=TEAM, channel_id=channel, ts=ts)


def test_messages_in_community_channels_are_cached_others_are_not(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("hello guild")
    elsewhere = copbot.say("hello random", channel="CRANDOM")
    copbot.event(
        message_event(
            "CPYTHON", "UOTHERBOT", "beep", "1700000000.5", bot_id="B1", subtype="bot_message"
        )
    )
    assert _cached(ts).text == "hello guild"
    assert _cached(elsewhere, "CRANDOM") is None
    assert _cached("1700000000.5") is None


def test_an_edit_updates_the_snippet_its_title_and_hashtags(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("Use black #formatting")
    copbot.react(ts)
    copbot.event(_changed(ts, "Use ruff format #formatting #tooling"))
    snippet = snippet_at(ts)
    assert snippet.text == "Use ruff format #formatting #tooling"
    assert snippet.title == "Use ruff format #formatting #tooling"
    assert snippet.edited_at is not None
    assert tags_at(ts) == ["formatting", "tooling"]
    assert "Use ruff format" in copbot.cop("/cop search ruff")
    assert "Nothing in community knowledge" in copbot.cop("/cop search black")


def test_an_edited_reply_updates_the_thread_snippet(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    root = copbot.say("Best way to profile?", user="UALICE")
    reply = copbot.say("cProfile", thread_ts=root)
    copbot.react(root)
    copbot.event(_changed(reply, "py-spy, without touching the code", thread_ts=root))
    assert "— Bob Builder: py-spy, without touching the code" in snippet_at(root).text
    assert "cProfile" not in snippet_at(root).text


def test_deleting_a_captured_message_withdraws_its_snippet(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("An accidental secret")
    copbot.react(ts)
    copbot.event(_deleted(ts))
    snippet = snippet_at(ts)
    assert (snippet.status, snippet.deleted_at is not None) == ("withdrawn", True)
    assert _cached(ts) is None
    copbot.react(ts, user="UBOB")  # a late reaction cannot bring it back
    assert snippet_at(ts).status == "withdrawn"


def test_deleting_a_reply_removes_it_from_the_thread_snippet(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    root = copbot.say("Where do we keep secrets?", user="UALICE")
    reply = copbot.say("in the vault", thread_ts=root)
    copbot.react(root)
    copbot.event(_deleted(reply, thread_ts=root))
    assert snippet_at(root).text == "Where do we keep secrets?"


def test_edits_of_uncaptured_messages_only_touch_the_cache(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("typo")
    copbot.event(_changed(ts, "fixed"))
    assert _cached(ts).text == "fixed" and snippet_at(ts) is None
    assert copbot.errors == []


def test_a_thread_kept_without_its_authors_learns_them_on_the_next_change_in_it(
    copbot: Copbot,
) -> None:
    """A thread snippet whose reply lines migration 0008 could not attribute: the next
    message_changed in the thread (here Slack unfurling a link in Bob's reply, text unchanged)
    records who wrote each line, so forgetting Bob can take his out."""
    copbot.cop("/cop create Python Guild")
    root = copbot.say("Where are the runbooks?", user="UALICE")
    reply = copbot.say("https://wiki.example.com/runbooks", thread_ts=root)
    copbot.react(root)
    text = snippet_at(root).text
    with db.session() as session:
        session.execute(delete(SnippetReply))
        session.commit()
    unfurled = copbot.standin.message("CPYTHON", reply)
    unfurled["attachments"] = [
        {"id": 1, "title": "Runbooks", "title_link": "https://wiki.example.com/runbooks"}
    ]
    copbot.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": "CPYTHON",
            "hidden": True,
            "message": unfurled,
            "previous_message": copbot.standin.message("CPYTHON", reply),
            "event_ts": "1700000003.000001",
            "ts": "1700000003.000001",
        }
    )
    assert snippet_at(root).text == text
    with db.session() as session:
        assert [(r.ts, r.user_id) for r in session.exec(select(SnippetReply))] == [(reply, "UBOB")]
    forgotten = copbot.cop("/cop forget me", user="UBOB")
    button = next(b for b in forgotten.responses[0]["blocks"] if b["type"] == "actions")
    confirm = button["elements"][0]
    copbot.interactive(
        block_actions_payload(
            user_id="UBOB",
            action_id=confirm["action_id"],
            value=confirm["value"],
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON"),
        )
    )
    assert snippet_at(root).text == "Where are the runbooks?\n\n— (removed)"


def test_deleting_a_thread_root_with_replies_withdraws_its_snippet(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    root = copbot.say("How do we rotate the API keys?", user="UALICE")
    copbot.say("copbot keys rotate --new KEY", thread_ts=root)
    copbot.react(root)
    copbot.delete(root)  # Slack keeps the root as a tombstone and says message_changed
    assert copbot.standin.message("CPYTHON", root)["subtype"] == "tombstone"
    snippet = snippet_at(root)
    assert (snippet.status, snippet.deleted_at is not None) == ("withdrawn", True)
    assert snippet.title == "How do we rotate the API keys?"
    assert "deleted" not in snippet.text and _cached(root) is None
    assert "Nothing in community knowledge" in copbot.cop("/cop search rotate")


def _bot_joins_random(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.set_members("CRANDOM", [*copbot.standin.channel_members("CRANDOM"), "UCOPBOT"])


def test_an_edit_reaches_a_snippet_saved_from_a_channel_that_is_no_community(
    copbot: Copbot,
) -> None:
    _bot_joins_random(copbot)
    ts = copbot.say("Use tox for test matrices", channel="CRANDOM")
    chat = copbot.say("lunch?", channel="CRANDOM")
    save_with_shortcut(copbot, ts, channel="CRANDOM")
    copbot.edit(ts, "Use nox for test matrices #testing", channel="CRANDOM")
    copbot.edit(chat, "lunch at 1?", channel="CRANDOM")
    snippet = snippet_at(ts, "CRANDOM")
    assert (snippet.text, snippet.title) == ("Use nox for test matrices #testing",) * 2
    assert tags_at(ts, "CRANDOM") == ["testing"]
    assert "Use nox" in copbot.cop("/cop search matrices")
    # nothing is kept of the messages there that hold no knowledge
    assert _cached(chat, "CRANDOM") is None and snippet_at(chat, "CRANDOM") is None


def test_a_thread_root_saved_from_a_channel_that_is_no_community_is_withdrawn_when_deleted(
    copbot: Copbot,
) -> None:
    _bot_joins_random(copbot)
    root = copbot.say("Which formatter?", channel="CRANDOM", user="UALICE")
    reply = copbot.say("ruff format", channel="CRANDOM", thread_ts=root)
    save_with_shortcut(copbot, reply, channel="CRANDOM")
    save_with_shortcut(copbot, root, channel="CRANDOM")
    copbot.edit(reply, "ruff format, in pre-commit", channel="CRANDOM")
    # the reply's own snippet and the thread's both follow the edit
    assert snippet_at(reply, "CRANDOM").text == "ruff format, in pre-commit"
    thread = "Which formatter?\n\n— Bob Builder: ruff format, in pre-commit"
    assert snippet_at(root, "CRANDOM").text == thread
    copbot.delete(root, channel="CRANDOM")  # a tombstone, as the reply keeps the thread
    assert (snippet_at(root, "CRANDOM").status, snippet_at(root, "CRANDOM").text) == (
        "withdrawn",
        thread,
    )
    assert snippet_at(reply, "CRANDOM").status == "confirmed"


def test_a_deletion_withdraws_a_snippet_saved_from_a_channel_that_is_no_community(
    copbot: Copbot,
) -> None:
    _bot_joins_random(copbot)
    ts = copbot.say("The staging password is hunter2", channel="CRANDOM")
    save_with_shortcut(copbot, ts, channel="CRANDOM")
    copbot.delete(ts, channel="CRANDOM")
    snippet = snippet_at(ts, "CRANDOM")
    assert (snippet.status, snippet.deleted_at is not None) == ("withdrawn", True)
    assert _cached(ts, "CRANDOM") is None


def test_an_edited_reply_captured_on_its_own_follows_the_edit(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    root = copbot.say("Release checklist?", user="UALICE")
    reply = copbot.say("tag, build, twine upload", thread_ts=root)
    copbot.react(reply)
    copbot.edit(reply, "tag, build, uv publish")
    assert snippet_at(reply).text == "tag, build, uv publish"
