"""Rules that hold when many requests arrive at once, over real HTTP, on SQLite and PostgreSQL.

Each test sends its requests from many threads at the same moment (a barrier), the way a
busy workspace or a burst of Slack retries does, then counts what was stored and posted.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from sandbox.slack import SlackStandIn, reaction_event
from storage import communities, db, knowledge
from storage import kudos as storage_kudos
from storage.models import (
    Community,
    CommunityChannel,
    Endorsement,
    Kudos,
    Member,
    Snippet,
    UserProfile,
)
from tests.bot.test_inbox import database_down
from tests.harness import Copbot, running_copbot, settings_for

PARALLEL = 20
QUOTA = 3


def at_once(count: int, send: Callable[[int], Any]) -> list[Any]:
    """Call send(0..count-1) from `count` threads released together; their results in order."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = send(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def kudos_rows() -> list[Kudos]:
    with db.session() as session:
        return list(session.exec(select(Kudos).order_by(Kudos.id)))


def kudos_posts(copbot: Copbot) -> list[dict[str, Any]]:
    return [
        m
        for m in copbot.standin.messages("CPYTHON")
        if m.get("bot_id") and "gave kudos to" in m.get("text", "")
    ]


def test_parallel_kudos_commands_never_pass_the_quota(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop(f"/cop settings kudos-quota {QUOTA}")
    text = copbot.standin.typed("kudos @bob for the review", command=True)
    sent = at_once(
        PARALLEL, lambda i: copbot.sender.command(text, user="UALICE", channel="CPYTHON")
    )
    copbot.wait_idle()
    assert {s.status for s in sent} == {200}
    rows = kudos_rows()
    assert len(rows) == QUOTA, [r["body"] for r in copbot.standin.responses][-3:]
    posts = kudos_posts(copbot)
    assert len(posts) == QUOTA
    assert sorted(r.message_ts for r in rows) == sorted(p["ts"] for p in posts)
    answers = [r["body"].get("text", "") for r in copbot.standin.responses]
    assert sum("kudos left today" in a or "last kudos today" in a for a in answers) == QUOTA
    assert sum("today's kudos" in a for a in answers) == PARALLEL - QUOTA


def test_parallel_kudos_reactions_never_pass_the_quota(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop(f"/cop settings kudos-quota {QUOTA}")
    messages = [copbot.say(f"tip number {i}", user="UBOB") for i in range(PARALLEL)]
    sent = at_once(
        PARALLEL,
        lambda i: copbot.sender.event(
            reaction_event(
                "UALICE", "raised_hands", channel="CPYTHON", ts=messages[i], item_user="UBOB"
            )
        ),
    )
    copbot.wait_idle()
    assert {s.status for s in sent} == {200}
    assert len(kudos_rows()) == QUOTA
    notes = [e["text"] for e in copbot.standin.ephemerals if e["user"] == "UALICE"]
    assert sum("today's kudos" in n for n in notes) == PARALLEL - QUOTA


def test_kudos_slack_refused_to_post_are_taken_back(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.fail("chat.postMessage", error="restricted_action")
    reply = copbot.cop("/cop kudos @bob for the review")
    assert kudos_rows() == [] and kudos_posts(copbot) == []
    assert "recorded" not in reply.text
    assert "9 of 10 kudos left" in copbot.cop("/cop kudos @bob for the review")  # none was used


def test_kudos_whose_post_slack_did_not_confirm_stay_and_the_giver_is_told(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.clear_calls()
    copbot.standin.fail("chat.postMessage", status=500, performed=True)
    reply = copbot.cop("/cop kudos @bob for the review")
    assert "didn't confirm the post" in reply
    [row] = kudos_rows()
    assert row.receiver_id == "UBOB"
    assert len(kudos_posts(copbot)) == 1  # Slack had it; not posted again by copbot
    assert len(copbot.standin.calls_to("chat.postMessage")) == 1


def test_parallel_creates_in_one_channel_make_one_community(copbot: Copbot) -> None:
    sent = at_once(
        6,
        lambda i: copbot.sender.command(
            copbot.standin.typed(f"create Guild {i}", command=True),
            user="UALICE",
            channel="CPYTHON",
        ),
    )
    copbot.wait_idle()
    assert {s.status for s in sent} == {200}
    with db.session() as session:
        made = list(session.exec(select(Community)))
        bindings = list(session.exec(select(CommunityChannel)))
    assert len(made) == 1 and [b.channel_id for b in bindings] == ["CPYTHON"]
    answers = [r["body"].get("text", "") for r in copbot.standin.responses]
    assert sum("already hosts" in a for a in answers) == 5


def test_two_communities_started_at_once_with_the_same_people_both_get_everyone(
    copbot: Copbot,
) -> None:
    people = [f"UPEER{i:02d}" for i in range(30)]
    for person in people:
        copbot.standin.add_user(person, name=person.lower(), real_name=f"Peer {person[-2:]}")
    for channel in ("CONE", "CTWO"):
        copbot.standin.add_channel(channel, channel.lower(), members=["UALICE", "UCOPBOT", *people])
    at_once(
        2,
        lambda i: copbot.sender.command(
            f"create Guild {i}", user="UALICE", channel=("CONE", "CTWO")[i]
        ),
    )
    copbot.wait_idle()
    with db.session() as session:
        members = Counter(m.community_id for m in session.exec(select(Member)))
        profiles = Counter(p.user_id for p in session.exec(select(UserProfile)))
    assert sorted(members.values()) == [31, 31]
    assert all(profiles[p] == 1 for p in people)


def test_concurrent_reactions_leave_the_count_equal_to_the_endorsements(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings reactions 10")  # stays pending: every reaction counts
    reactors = [f"UFAN{i}" for i in range(8)]
    for person in reactors:
        copbot.standin.add_user(person, name=person.lower(), real_name=person)
        copbot.standin.channels["CPYTHON"].members.append(person)
    for trial in range(3):
        ts = copbot.say(f"a tip worth keeping, take {trial}", user="UBOB")
        at_once(
            len(reactors),
            lambda i, ts=ts: copbot.sender.event(
                reaction_event(reactors[i], "bulb", channel="CPYTHON", ts=ts, item_user="UBOB")
            ),
        )
        copbot.wait_idle()
        with db.session() as session:
            [snippet] = session.exec(select(Snippet).where(Snippet.message_ts == ts)).all()
            rows = session.exec(
                select(Endorsement).where(Endorsement.snippet_id == snippet.id)
            ).all()
        assert snippet.endorsements == len(rows) == len(reactors), f"take {trial}"


def test_two_facilitators_stepping_down_at_once_leave_one(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    for trial in range(4):
        copbot.cop("/cop facilitator add @bob")
        at_once(
            2,
            lambda i: copbot.sender.command(
                copbot.standin.typed(
                    ("facilitator remove @bob", "facilitator remove @alice")[i], command=True
                ),
                user=("UALICE", "UBOB")[i],
                channel="CPYTHON",
            ),
        )
        copbot.wait_idle()
        with db.session() as session:
            [community] = session.exec(select(Community)).all()
            left = communities.facilitator_ids(session=session, community_id=community.id or 0)
        assert len(left) == 1, f"trial {trial}: {left}"
        if left == ["UBOB"]:  # hand it back for the next trial
            copbot.cop("/cop facilitator add @alice", user="UBOB")
            copbot.cop("/cop facilitator remove @bob")


def snippet_rows() -> list[Snippet]:
    with db.session() as session:
        return list(session.exec(select(Snippet).order_by(Snippet.id)))


def test_knowledge_slack_refused_to_post_is_not_kept(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.fail("chat.postMessage", error="restricted_action")
    copbot.cop("/cop share Use pathlib for paths #python")
    assert snippet_rows() == []
    assert "Nothing matches pathlib" in copbot.cop("/cop search pathlib")


def test_knowledge_whose_post_slack_did_not_confirm_is_kept_and_the_sharer_is_told(
    copbot: Copbot,
) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.clear_calls()
    copbot.standin.fail("chat.postMessage", status=502, performed=True)
    reply = copbot.cop("/cop share Use pathlib for paths #python")
    assert "didn't confirm the post" in reply
    [snippet] = snippet_rows()
    assert snippet.text.startswith("Use pathlib for paths")
    assert len(copbot.standin.calls_to("chat.postMessage")) == 1  # not posted twice


def test_shared_knowledge_points_at_its_post(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop share Use pathlib for paths #python")
    [snippet] = snippet_rows()
    post = copbot.standin.last_message("CPYTHON")
    assert snippet.message_ts == post["ts"] and snippet.permalink.endswith(
        post["ts"].replace(".", "")
    )


def test_kudos_posted_when_the_database_then_failed_are_not_reported_as_nothing_done(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The post is made and the kudos are recorded; only pointing them at the post failed:
    the giver is told the kudos went out, not "nothing was changed, try again"."""
    copbot.cop("/cop create Python Guild")
    monkeypatch.setattr(storage_kudos, "move_kudos", database_down)
    reply = copbot.cop("/cop kudos @bob for the review")
    assert "nothing was changed" not in reply.text and "9 of 10 kudos left" in reply
    assert len(kudos_posts(copbot)) == 1 and len(kudos_rows()) == 1


def test_knowledge_posted_when_the_database_then_failed_is_not_to_be_shared_again(
    copbot: Copbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    copbot.cop("/cop create Python Guild")
    monkeypatch.setattr(knowledge, "place_snippet", database_down)
    reply = copbot.cop("/cop share Use pathlib for paths #python")
    assert "nothing was changed" not in reply.text
    assert "posted in the channel" in reply and "don't share it again" in reply
    assert copbot.standin.last_message("CPYTHON")["text"].count("pathlib") >= 1


def test_knowledge_whose_permalink_slack_never_answered_is_shared_all_the_same(
    engine: Engine, standin: SlackStandIn
) -> None:
    settings = settings_for(standin, engine.url.render_as_string(hide_password=False))
    with running_copbot(standin, replace(settings, slack_timeout=1)) as copbot:
        copbot.cop("/cop create Python Guild")
        standin.slow("chat.getPermalink", 2, times=5)  # later than the client waits, every time
        reply = copbot.cop("/cop share Use pathlib for paths #python")
        assert "went wrong" not in reply.text
        [snippet] = snippet_rows()
        assert snippet.message_ts == standin.last_message("CPYTHON")["ts"]
        assert "pathlib" in copbot.cop("/cop search pathlib")


def repair(copbot: Copbot, *, after: timedelta) -> int:
    from bot.slack_client import make_client
    from scheduler.repair import repair_unconfirmed_posts
    from storage.clock import utcnow

    client = make_client(token=copbot.standin.bot_token, base_url=copbot.standin.api_url)
    return repair_unconfirmed_posts(lambda team: client, now=utcnow() + after)


def test_knowledge_whose_post_went_unconfirmed_is_pointed_at_it_later(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.fail("chat.postMessage", status=502, performed=True)
    copbot.cop("/cop share Use pathlib for paths")
    [snippet] = snippet_rows()
    assert snippet.message_ts.startswith("pending-")
    assert repair(copbot, after=timedelta(seconds=0)) == 0  # the sharer's attempt may be on
    assert repair(copbot, after=timedelta(minutes=3)) == 1
    post = copbot.standin.last_message("CPYTHON")
    [snippet] = snippet_rows()
    assert snippet.message_ts == post["ts"] and snippet.permalink
    assert repair(copbot, after=timedelta(minutes=3)) == 0  # nothing left to point


def test_kudos_whose_post_went_unconfirmed_are_pointed_at_it_later(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.fail("chat.postMessage", status=502, performed=True)
    copbot.cop("/cop kudos @bob @carol for the review")
    assert {k.message_ts[:8] for k in kudos_rows()} == {"pending-"}
    assert repair(copbot, after=timedelta(minutes=3)) == 1
    [post] = kudos_posts(copbot)
    assert {k.message_ts for k in kudos_rows()} == {post["ts"]}


def test_a_post_slack_never_made_leaves_the_record_as_it_is(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.fail("chat.postMessage", status=502)  # not performed: no post
    copbot.cop("/cop share Use pathlib for paths")
    assert repair(copbot, after=timedelta(minutes=3)) == 0
    [snippet] = snippet_rows()
    assert snippet.message_ts.startswith("pending-")
