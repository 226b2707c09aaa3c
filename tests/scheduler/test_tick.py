"""Time travel with the tick: each post exactly once, on time, caught up or skipped, isolated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.slack_client import make_client
from sandbox.slack import SlackStandIn
from scheduler.kinds import default_slots
from scheduler.posts import MAX_ATTEMPTS
from scheduler.tick import Due, interleave, tick
from storage import communities, db, messages, schedule
from storage.models import Community, Kudos, ScheduledPost
from tests.harness import TEAM

# Monday 23 November 2026, 00:00 UTC: the week of 2026-W48
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


def make_guild(
    channel: str = "CG0", timezone: str = "UTC", name: str = "Guild", *, thanked: bool = True
) -> Community:
    """A month-old community; `thanked`: someone gave kudos early each Monday for over a year,
    so every week's kudos summary has something to say (an empty one is skipped)."""
    with db.session() as session:
        community = communities.create_community(
            session=session,
            team_id=TEAM,
            name=name,
            domain="things",
            channel_id=channel,
            channel_name=channel.lower(),
            is_private=False,
            created_by="UALICE",
            timezone=timezone,
            slots=default_slots(),
        )
        community.created_at = MONDAY - timedelta(days=30)
        session.add(community)
        session.commit()
        for row in schedule.schedules_of(session=session, community_id=community.id):
            row.updated_at = community.created_at
            session.add(row)
        if thanked:
            for week in range(-5, 60):
                session.add(
                    Kudos(
                        team_id=TEAM,
                        community_id=community.id,
                        giver_id="UALICE",
                        receiver_id="UBOB",
                        reason="for the week's help",
                        channel_id=channel,
                        message_ts=f"{week}",  # a command's kudos: unique per message
                        created_at=MONDAY + timedelta(weeks=week, minutes=1),
                    )
                )
        session.commit()
        return community


def run(slack: SlackStandIn, now: datetime, catchup: int = 12):
    client = make_client(token=slack.bot_token, base_url=slack.api_url)
    return tick(now=now, client_for=lambda team: client, catchup_hours=catchup, claimed_by="test")


def ledger() -> list[tuple[int, str, str, str]]:
    with db.session() as session:
        rows = session.exec(select(ScheduledPost).order_by(ScheduledPost.id)).all()
    return [(r.community_id, r.kind, r.period, r.status) for r in rows]


def this_weeks_prompt() -> list[ScheduledPost]:
    with db.session() as session:
        return list(
            session.exec(
                select(ScheduledPost).where(
                    ScheduledPost.kind == "prompt", ScheduledPost.period == "2026-W48"
                )
            )
        )


def posts(slack: SlackStandIn, channel: str = "CG0") -> list[str]:
    return [m["text"] for m in slack.messages(channel) if m.get("bot_id")]


def test_a_week_of_ticks_posts_each_kind_once_on_time(engine: Engine, slack: SlackStandIn) -> None:
    make_guild()
    posted_at: dict[str, datetime] = {}
    moment = MONDAY
    while moment < MONDAY + timedelta(days=7):
        for _, kind, _ in run(slack, moment).posted:
            posted_at[kind] = moment
        moment += timedelta(minutes=5)
    assert posted_at == {
        "prompt": MONDAY + timedelta(hours=10),
        "digest": MONDAY + timedelta(days=4, hours=16),
        "kudos": MONDAY + timedelta(days=4, hours=16, minutes=5),
    }
    # the first tick finds last week's posts long missed: recorded as skipped, not made
    assert sorted((k, p, s) for _, k, p, s in ledger()) == [
        ("digest", "2026-W47", "skipped"),
        ("digest", "2026-W48", "posted"),
        ("kudos", "2026-W47", "skipped"),
        ("kudos", "2026-W48", "posted"),
        ("prompt", "2026-W47", "skipped"),
        ("prompt", "2026-W48", "posted"),
    ]
    assert len(posts(slack)) == 3
    assert "This week's question" in posts(slack)[0]


def test_a_restart_posts_nothing_twice(engine: Engine, slack: SlackStandIn) -> None:
    make_guild()
    at = MONDAY + timedelta(hours=10, minutes=1)
    assert len(run(slack, at).posted) == 1
    assert run(slack, at).posted == []  # the same minute again, as after a restart
    assert run(slack, at + timedelta(hours=3)).posted == []
    assert len(posts(slack)) == 1


def test_downtime_is_caught_up_within_the_window_else_skipped(
    engine: Engine, slack: SlackStandIn
) -> None:
    make_guild()
    # down from Monday 09:00 until Friday 20:00: the prompt is 4 days late, the digest 4 hours
    report = run(slack, MONDAY + timedelta(days=4, hours=20))
    assert sorted(k for _, k, _ in report.posted) == ["digest", "kudos"]
    assert [k for _, k, _ in report.skipped] == ["prompt"]
    assert ("prompt", "2026-W48", "skipped") in [(k, p, s) for _, k, p, s in ledger()]
    assert len(posts(slack)) == 2


def test_a_failing_channel_pauses_only_its_community(engine: Engine, slack: SlackStandIn) -> None:
    broken, healthy = make_guild("CG0", name="Broken"), make_guild("CG1", name="Healthy")
    slack.archive_channel("CG0")
    report = run(slack, MONDAY + timedelta(hours=10, minutes=1))
    assert [c for c, _, _ in report.posted] == [healthy.id]
    assert [c for c, _, _ in report.failed] == [broken.id]
    with db.session() as session:
        paused = session.get(Community, broken.id)
    assert paused.paused and "archived" in paused.paused_reason
    dms = [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == "UALICE"]
    assert len(dms) == 1 and "/cop resume" in dms[0].args["text"]
    # paused: later slots of the broken community are not even attempted, nobody is told twice
    run(slack, MONDAY + timedelta(days=4, hours=17))
    assert (
        len([c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == "UALICE"]) == 1
    )
    assert len(posts(slack, "CG1")) == 3


def test_transient_errors_are_retried_with_backoff(engine: Engine, slack: SlackStandIn) -> None:
    make_guild()
    slack.fail("chat.postMessage", error="internal_error")
    at = MONDAY + timedelta(hours=10)
    assert len(run(slack, at).failed) == 1
    assert run(slack, at + timedelta(minutes=1)).posted == []  # not yet
    assert len(run(slack, at + timedelta(minutes=2)).posted) == 1
    [row] = this_weeks_prompt()
    assert (row.status, row.attempts) == ("posted", 2)


def test_attempts_stop_after_five_spread_over_two_hours(
    engine: Engine, slack: SlackStandIn
) -> None:
    make_guild()
    slack.fail("chat.postMessage", error="internal_error", times=10)
    at = MONDAY + timedelta(hours=10)
    for minutes in (0, 2, 12, 41, 42, 101, 102, 300, 600):
        run(slack, at + timedelta(minutes=minutes))
    [row] = this_weeks_prompt()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)
    tried = [c.at for c in slack.calls_to("chat.postMessage") if c.failed]
    assert len(tried) == MAX_ATTEMPTS


def test_rate_limits_are_waited_out(engine: Engine, slack: SlackStandIn) -> None:
    make_guild()
    slack.fail("chat.postMessage", status=429, retry_after=1)
    report = run(slack, MONDAY + timedelta(hours=10))
    assert len(report.posted) == 1
    assert [c.failed for c in slack.calls_to("chat.postMessage")] == ["ratelimited", None]


def test_a_new_community_does_not_post_slots_from_before_it_existed(
    engine: Engine, slack: SlackStandIn
) -> None:
    with db.session() as session:
        communities.create_community(
            session=session,
            team_id=TEAM,
            name="Fresh",
            domain="",
            channel_id="CG2",
            channel_name="g2",
            is_private=False,
            created_by="UALICE",
            timezone="UTC",
            slots=default_slots(),
        )
    assert run(slack, datetime.now(UTC)).posted == []


def test_slots_follow_the_community_timezone(engine: Engine, slack: SlackStandIn) -> None:
    make_guild(timezone="Asia/Kolkata")
    # Monday 10:00 in Kolkata is 04:30 UTC
    assert run(slack, MONDAY + timedelta(hours=4, minutes=29)).posted == []
    assert len(run(slack, MONDAY + timedelta(hours=4, minutes=30)).posted) == 1


def test_prompts_rotate_and_replies_reach_the_digest(engine: Engine, slack: SlackStandIn) -> None:
    make_guild()
    texts = []
    for week in range(3):
        run(slack, MONDAY + timedelta(weeks=week, hours=10))
        texts.append(posts(slack)[-1])
    assert len(set(texts)) == 3  # never the same prompt twice
    prompt_ts = [m for m in slack.messages("CG0") if m.get("bot_id")][-1]["ts"]
    with db.session() as session:
        for i, user in enumerate(["UALICE", "UBOB"]):
            messages.cache_message(
                session=session,
                team_id=TEAM,
                channel_id="CG0",
                ts=f"{float(prompt_ts) + i + 1:.6f}",
                user_id=user,
                text=f"answer {i}",
                thread_ts=prompt_ts,
            )
    run(slack, MONDAY + timedelta(weeks=2, days=4, hours=16))
    digest = [m for m in slack.messages("CG0") if m.get("bot_id")][-1]
    assert "Most discussed question* (2 replies)" in str(digest["blocks"])


def test_due_posts_are_spread_over_channels() -> None:
    at = MONDAY
    due = [Due(c, k, "2026-W48", at) for c in (1, 2) for k in ("prompt", "digest", "kudos")]
    assert [(d.community_id, d.kind) for d in interleave(due)] == [
        (1, "prompt"),
        (2, "prompt"),
        (1, "digest"),
        (2, "digest"),
        (1, "kudos"),
        (2, "kudos"),
    ]


def test_an_unexpected_error_in_one_claim_does_not_stop_the_tick(
    engine: Engine, slack: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken, healthy = make_guild("CG0", name="Broken"), make_guild("CG1", name="Healthy")
    claim = schedule.claim_post

    def flaky_claim(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs["community"].id == broken.id:
            raise RuntimeError("database went away")
        return claim(**kwargs)

    monkeypatch.setattr(schedule, "claim_post", flaky_claim)
    report = run(slack, MONDAY + timedelta(hours=10, minutes=1))
    assert [c for c, _, _ in report.posted] == [healthy.id]
