"""Scheduled posts when Slack misbehaves or a tick dies: every post made once, none twice.

Slack here is the stand-in over real HTTP: answers later than the client waits, 5xx after
the message was posted, 429s with long Retry-After, and ticks that die between claiming a
post and recording it.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.slack_client import make_client
from sandbox.slack import SlackStandIn
from scheduler.kinds import PostKind
from scheduler.posts import LEASE, METADATA_EVENT
from scheduler.tick import tick
from storage import db, schedule
from storage.models import Community, CommunityChannel, Prompt, ScheduledPost
from tests.scheduler.test_tick import MONDAY, make_guild

DUE = MONDAY + timedelta(hours=10)  # Monday's prompt is due; nothing else is


def run(standin: SlackStandIn, now: datetime, *, timeout: int = 15, workers: int = 4):
    client = make_client(token=standin.bot_token, base_url=standin.api_url, timeout=timeout)
    return tick(
        now=now,
        client_for=lambda team: client,
        catchup_hours=12,
        claimed_by="test",
        workers=workers,
    )


def bot_posts(standin: SlackStandIn, channel: str = "CG0") -> list[dict]:
    return [m for m in standin.messages(channel) if m.get("bot_id")]


def prompt_row() -> ScheduledPost:
    with db.session() as session:
        [row] = session.exec(select(ScheduledPost).where(ScheduledPost.kind == "prompt")).all()
        return row


def assert_posted_once(standin: SlackStandIn, channel: str = "CG0") -> None:
    [message] = bot_posts(standin, channel)
    row = prompt_row()
    assert (row.status, row.channel_id, row.message_ts) == ("posted", channel, message["ts"])
    assert message["metadata"] == {
        "event_type": METADATA_EVENT,
        "event_payload": {
            "community": row.community_id,
            "kind": "prompt",
            "period": "2026-W48",
            "prompt": row.prompt_id,
        },
    }


def test_every_post_carries_metadata_that_history_shows_only_when_asked(
    engine: Engine, slack: SlackStandIn
) -> None:
    make_guild()
    run(slack, DUE)
    assert_posted_once(slack)
    client = make_client(token=slack.bot_token, base_url=slack.api_url)
    plain = client.conversations_history(channel="CG0")["messages"]
    assert all("metadata" not in m for m in plain)
    full = client.conversations_history(channel="CG0", include_all_metadata=True)["messages"]
    assert full[0]["metadata"]["event_type"] == METADATA_EVENT


def test_a_post_slack_took_but_answered_too_late_is_recorded_not_made_again(
    engine: Engine, slack: SlackStandIn
) -> None:
    make_guild()
    slack.slow("chat.postMessage", 2.5)
    first = run(slack, DUE, timeout=1)
    assert len(first.failed) == 1 and len(bot_posts(slack)) == 1  # Slack has it; we don't know
    assert prompt_row().status == "failed"
    second = run(slack, DUE + timedelta(minutes=2), timeout=1)
    assert len(second.posted) == 1
    assert_posted_once(slack)
    assert len(slack.calls_to("chat.postMessage")) == 1  # found in the channel, not posted
    [look] = slack.calls_to("conversations.history")
    assert look.args["include_all_metadata"] in (True, "true", "1")
    # the prompt it found went to the back of the bank, as if the answer had arrived
    with db.session() as session:
        row = prompt_row()
        assert row.prompt_id is not None
        prompt = session.get(Prompt, row.prompt_id)
        assert prompt is not None and prompt.times_used == 1


def test_a_5xx_after_slack_posted_is_not_posted_again(engine: Engine, slack: SlackStandIn) -> None:
    make_guild()
    slack.fail("chat.postMessage", status=500, performed=True)
    assert len(run(slack, DUE).failed) == 1
    assert len(slack.calls_to("chat.postMessage")) == 1  # the client does not repeat a post
    run(slack, DUE + timedelta(minutes=2))
    assert_posted_once(slack)


def test_a_5xx_storm_is_waited_out_and_the_post_arrives_once(
    engine: Engine, slack: SlackStandIn
) -> None:
    make_guild()
    slack.fail("chat.postMessage", status=503, times=3)
    for minutes in (0, 2, 12, 42):
        run(slack, DUE + timedelta(minutes=minutes))
    assert_posted_once(slack)
    assert prompt_row().attempts == 4


def test_a_long_retry_after_reschedules_the_post_and_spares_other_communities(
    engine: Engine, slack: SlackStandIn
) -> None:
    for i in range(3):
        make_guild(f"CG{i}", name=f"Guild {i}")
    slack.fail("chat.postMessage", status=429, retry_after=3600)  # whichever channel is first
    report = run(slack, DUE, workers=1)
    assert len(report.posted) == 2 and len(report.failed) == 1
    limited = next(c for c in slack.calls_to("chat.postMessage") if c.failed == "ratelimited")
    waiting = limited.args["channel"]
    with db.session() as session:
        rows = session.exec(select(ScheduledPost).where(ScheduledPost.status == "failed")).all()
    [row] = rows
    assert row.next_attempt_at == DUE + timedelta(hours=1)
    assert row.attempts == 0  # Slack did not take it: no turn lost
    assert run(slack, DUE + timedelta(minutes=59)).posted == []
    assert len(run(slack, DUE + timedelta(hours=1)).posted) == 1
    for channel in ("CG0", "CG1", "CG2"):
        assert len(bot_posts(slack, channel)) == 1, channel
    assert len(bot_posts(slack, waiting)) == 1


def test_one_channels_rate_limit_does_not_hold_up_another(
    engine: Engine, slack: SlackStandIn
) -> None:
    client = make_client(token=slack.bot_token, base_url=slack.api_url)
    slack.fail("chat.postMessage", status=429, retry_after=2)
    waiting = threading.Thread(target=lambda: client.chat_postMessage(channel="CG0", text="a"))
    waiting.start()
    slack.wait_for(lambda: slack.calls_to("chat.postMessage"))
    client.chat_postMessage(channel="CG1", text="b")  # not behind CG0's two seconds
    waiting.join()
    order = [(c.args["channel"], c.failed) for c in slack.calls_to("chat.postMessage")]
    assert order == [("CG0", "ratelimited"), ("CG1", None), ("CG0", None)]


def test_an_abandoned_claim_is_taken_over_and_posted_once(
    engine: Engine, slack: SlackStandIn
) -> None:
    """The tick died after claiming the post, before Slack got it."""
    community = make_guild()
    with db.session() as session:
        schedule.claim_post(
            session=session,
            community=community,
            kind="prompt",
            period="2026-W48",
            scheduled_for=DUE,
            claimed_by="dead:1",
            lease_until=DUE + LEASE,
        )
    assert run(slack, DUE + LEASE - timedelta(seconds=1)).posted == []  # still its claimant's
    assert bot_posts(slack) == []
    assert len(run(slack, DUE + LEASE + timedelta(seconds=1)).posted) == 1
    assert_posted_once(slack)
    assert prompt_row().claimed_by == "test"


def test_an_abandoned_claim_that_slack_had_is_recorded_not_posted_again(
    engine: Engine, slack: SlackStandIn
) -> None:
    """The tick died after Slack took the post, before it recorded the answer."""
    make_guild()
    slack.slow("chat.postMessage", 2.5)
    run(slack, DUE, timeout=1)  # as far as the ledger knows, the claimant never heard back
    with db.session() as session:
        row = prompt_row()
        row.status, row.next_attempt_at, row.lease_until = "claimed", None, DUE + LEASE
        session.add(row)
        session.commit()
    run(slack, DUE + LEASE + timedelta(minutes=1))
    assert_posted_once(slack)
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_no_database_connection_is_held_while_slack_answers(
    engine: Engine, slack: SlackStandIn
) -> None:
    make_guild()
    for i in (1, 2):
        make_guild(f"CG{i}", name=f"Guild {i}")
    held: list[tuple[str, int]] = []
    pool = db.get_engine().pool
    slack.observe(lambda method, args: held.append((method, pool.checkedout())))  # type: ignore[attr-defined]
    slack.fail("chat.postMessage", status=500, performed=True)
    for hours in (10, 10 + 1 / 30, 4 * 24 + 17):  # prompts, a retry, Friday's digest and kudos
        run(slack, MONDAY + timedelta(hours=hours), workers=1)
    methods = {method for method, _ in held}
    assert {"chat.postMessage", "conversations.history"} <= methods
    assert [(m, n) for m, n in held if n] == []


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
def test_a_channel_gone_while_retaking_pauses_without_posting(
    engine: Engine, slack: SlackStandIn, error: str
) -> None:
    make_guild()
    slack.fail("chat.postMessage", status=500)
    run(slack, DUE)
    slack.fail("conversations.history", error=error)
    run(slack, DUE + timedelta(minutes=2))
    assert bot_posts(slack) == []
    with db.session() as session:
        [community] = session.exec(select(Community)).all()
    assert community.paused and prompt_row().status == "failed"


def test_a_claim_taken_over_while_its_draft_waited_on_slack_is_posted_once(
    engine: Engine, slack: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tick drafting longer than its lease (Slack slow on every lookup) is taken over by a
    later tick, which posts; the first one, done drafting at last, does not post again."""
    make_guild()
    draft_for = PostKind.draft_for
    drafting, overtaken = threading.Event(), threading.Event()

    def slow_first_draft(kind: PostKind, *args: object, **kwargs: object) -> object:
        if not drafting.is_set():
            drafting.set()
            overtaken.wait(20)
        return draft_for(kind, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PostKind, "draft_for", slow_first_draft)
    first = threading.Thread(target=run, args=(slack, DUE))
    first.start()
    assert drafting.wait(10)
    assert len(run(slack, DUE + LEASE + timedelta(seconds=1)).posted) == 1
    overtaken.set()
    first.join(20)
    assert_posted_once(slack)
    assert prompt_row().attempts == 2


def test_a_post_made_before_the_community_moved_channel_is_found_where_it_went(
    engine: Engine, slack: SlackStandIn
) -> None:
    make_guild("CG0")
    slack.slow("chat.postMessage", 2.5)
    run(slack, DUE, timeout=1)  # made in CG0; the answer never came
    with db.session() as session:
        [binding] = session.exec(select(CommunityChannel)).all()
        binding.channel_id = "CG1"  # the community lives in CG1 now
        session.add(binding)
        session.commit()
    run(slack, DUE + timedelta(minutes=2))
    assert len(bot_posts(slack, "CG0")) == 1 and bot_posts(slack, "CG1") == []
    row = prompt_row()
    assert (row.status, row.channel_id) == ("posted", "CG0")
