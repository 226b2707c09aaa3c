"""The weekly schedules and the claim ledger: each post claimed once, retried within bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from storage import db, prompts, schedule
from storage.clock import utcnow
from storage.models import Community, CommunitySchedule, ScheduledPost
from tests.storage.knowledge_helpers import TEAM, make_community

DUE = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WEEK = "2026-W48"
LEASE = timedelta(minutes=10)


def claim(
    community: Community,
    kind: str = "prompt",
    period: str = WEEK,
    claimed_by: str = "proc-1@host",
    **kw: object,
) -> ScheduledPost | None:
    with db.session() as session:
        return schedule.claim_post(
            session=session,
            community=community,
            kind=kind,
            period=period,
            scheduled_for=DUE,
            claimed_by=claimed_by,
            **{"lease_until": DUE + LEASE, **kw},  # type: ignore[arg-type]
        )


def stored(post_id: int | None) -> ScheduledPost:
    """The ledger row as a fresh session reads it (so only what was committed)."""
    with db.session() as session:
        row = session.get(ScheduledPost, post_id)
        assert row is not None
        return row


def rows_of(community: Community) -> list[tuple[str, int, int, bool]]:
    with db.session() as session:
        rows = schedule.schedules_of(session=session, community_id=community.id or 0)
    return [(r.kind, r.weekday, r.minute, r.enabled) for r in rows]


def failed(community: Community, retry_at: datetime | None, attempts: int = 1) -> ScheduledPost:
    """A claimed post whose attempt failed, to be retried at `retry_at`."""
    post = claim(community)
    assert post is not None
    with db.session() as session:
        post = schedule.mark_failed(session=session, post=post, error="boom", retry_at=retry_at)
        post.attempts = attempts
        session.add(post)
        session.commit()
        session.refresh(post)
        return post


def retry(post: ScheduledPost, now: datetime, max_attempts: int = 3, by: str = "proc-2@host"):
    with db.session() as session:
        return schedule.retake_post(
            session=session,
            post_id=post.id or 0,
            now=now,
            claimed_by=by,
            max_attempts=max_attempts,
            lease_until=now + LEASE,
        )


def due(now: datetime, max_attempts: int = 3) -> list[int]:
    with db.session() as session:
        return schedule.due_again(session=session, now=now, max_attempts=max_attempts)


# schedules


def test_a_community_lists_its_own_schedule_in_kind_order(engine: Engine) -> None:
    guild = make_community()
    other = make_community("Rust Guild", channel="C2")
    with db.session() as session:
        schedule.set_schedule(session=session, community=other, kind="digest", weekday=6)
    assert rows_of(guild) == [
        ("prompt", 0, 600, True),
        ("digest", 4, 960, True),
        ("kudos", 4, 965, True),
    ]


def test_changing_one_part_of_a_slot_keeps_the_others(engine: Engine) -> None:
    guild = make_community()
    with db.session() as session:
        schedule.set_schedule(session=session, community=guild, kind="digest", weekday=2)
        schedule.set_schedule(session=session, community=guild, kind="digest", minute=75)
        schedule.set_schedule(session=session, community=guild, kind="kudos", enabled=False)
    assert rows_of(guild) == [
        ("prompt", 0, 600, True),
        ("digest", 2, 75, True),
        ("kudos", 4, 965, False),
    ]
    with db.session() as session:
        schedule.set_schedule(session=session, community=guild, kind="kudos", enabled=True)
    assert rows_of(guild)[2] == ("kudos", 4, 965, True)


def test_setting_a_schedule_stamps_and_commits_it(engine: Engine) -> None:
    guild = make_community()
    before = utcnow()
    with db.session() as session:
        row = schedule.set_schedule(session=session, community=guild, kind="prompt", minute=0)
    with db.session() as session:
        again = session.get(CommunitySchedule, row.id)
        assert again is not None
        assert (again.kind, again.minute) == ("prompt", 0)
        assert before <= again.updated_at <= utcnow()


def test_a_kind_without_a_row_gets_one(engine: Engine) -> None:
    guild = make_community()
    with db.session() as session:
        row = schedule.set_schedule(
            session=session, community=guild, kind="newkind", weekday=6, minute=24 * 60 - 1
        )
    assert (row.team_id, row.community_id) == (TEAM, guild.id)
    assert rows_of(guild)[-1] == ("newkind", 6, 1439, True)


@pytest.mark.parametrize(
    ("weekday", "minute"), [(-1, None), (7, None), (None, -1), (None, 24 * 60), (None, 10_000)]
)
def test_a_slot_outside_the_week_is_refused(
    engine: Engine, weekday: int | None, minute: int | None
) -> None:
    guild = make_community()
    with db.session() as session, pytest.raises(ValueError, match="not a "):
        schedule.set_schedule(
            session=session, community=guild, kind="prompt", weekday=weekday, minute=minute
        )
    assert rows_of(guild)[0] == ("prompt", 0, 600, True)


def test_the_first_and_last_slots_of_the_week_are_allowed(engine: Engine) -> None:
    guild = make_community()
    with db.session() as session:
        schedule.set_schedule(session=session, community=guild, kind="prompt", weekday=0, minute=0)
        schedule.set_schedule(
            session=session, community=guild, kind="digest", weekday=6, minute=1439
        )
    assert rows_of(guild)[:2] == [("prompt", 0, 0, True), ("digest", 6, 1439, True)]


def test_paused_communities_are_left_out_of_the_schedules(engine: Engine) -> None:
    guild = make_community()
    paused = make_community("Rust Guild", channel="C2")
    bare = make_community("Go Guild", channel="C3")
    with db.session() as session:
        schedule.pause_community(session=session, community=paused, reason="channel gone")
        for row in schedule.schedules_of(session=session, community_id=bare.id or 0):
            session.delete(row)
        session.commit()
        found = schedule.unpaused_schedules(session=session)
    assert [(c.id, [r.kind for r in rows]) for c, rows in found] == [
        (guild.id, ["prompt", "digest", "kudos"]),
        (bare.id, []),  # no rows yet: the scheduler gives it the default slots
    ]
    assert {r.community_id for _, rows in found for r in rows} == {guild.id}


# the claim ledger


def test_only_the_first_claim_of_a_period_wins(engine: Engine) -> None:
    guild = make_community()
    before = utcnow()
    first = claim(guild)
    assert first is not None
    assert claim(guild, claimed_by="proc-2@host") is None
    row = stored(first.id)
    assert (row.team_id, row.community_id, row.kind, row.period) == (TEAM, guild.id, "prompt", WEEK)
    assert (row.status, row.attempts, row.claimed_by) == ("claimed", 1, "proc-1@host")
    assert row.scheduled_for == DUE
    assert before <= row.claimed_at <= utcnow()
    assert row.updated_at == row.claimed_at


def test_another_kind_period_or_community_is_a_claim_of_its_own(engine: Engine) -> None:
    guild = make_community()
    other = make_community("Rust Guild", channel="C2")
    claims = [
        claim(guild),
        claim(guild, kind="digest"),
        claim(guild, period="2026-W49"),
        claim(other),
    ]
    assert all(c is not None for c in claims)
    assert len({c.id for c in claims if c is not None}) == 4
    with db.session() as session:
        for c in claims:
            assert c is not None
            found = schedule.get_post(
                session=session, community_id=c.community_id, kind=c.kind, period=c.period
            )
            assert found is not None and found.id == c.id
        absent = schedule.get_post(
            session=session, community_id=guild.id or 0, kind="kudos", period=WEEK
        )
        assert absent is None


def test_a_skip_is_recorded_without_an_attempt(engine: Engine) -> None:
    guild = make_community()
    post = claim(guild, status="skipped")
    assert post is not None
    assert (stored(post.id).status, stored(post.id).attempts) == ("skipped", 0)
    assert claim(guild) is None  # the period is taken: it will not be posted after all


def test_a_long_claimer_name_is_cut_to_fit(engine: Engine) -> None:
    guild = make_community()
    post = claim(guild, claimed_by="p" * 300)
    assert post is not None
    assert stored(post.id).claimed_by == "p" * 200


def test_a_post_is_recorded_with_where_it_went(engine: Engine) -> None:
    guild = make_community()
    post = failed(guild, retry_at=DUE)
    with db.session() as session:
        prompt = prompts.add_prompt(session=session, community=guild, text="Q?", created_by="U1")
        schedule.mark_posted(
            session=session,
            post=post,
            channel_id="C1",
            message_ts="1700000000.000100",
            prompt_id=prompt.id,
            when=DUE + timedelta(minutes=3),
        )
    row = stored(post.id)
    assert (row.status, row.channel_id, row.message_ts) == ("posted", "C1", "1700000000.000100")
    assert (row.prompt_id, row.posted_at, row.updated_at) == (
        prompt.id,
        DUE + timedelta(minutes=3),
        DUE + timedelta(minutes=3),
    )
    assert (row.error, row.next_attempt_at) == (None, None)


def test_a_post_without_a_time_is_recorded_now(engine: Engine) -> None:
    guild = make_community()
    post = claim(guild, kind="digest")
    assert post is not None
    before = utcnow()
    with db.session() as session:
        schedule.mark_posted(session=session, post=post, channel_id="C1", message_ts="1.2")
    row = stored(post.id)
    assert row.posted_at is not None and before <= row.posted_at <= utcnow()
    assert (row.updated_at, row.prompt_id) == (row.posted_at, None)


def test_a_failure_is_recorded_with_its_retry_time(engine: Engine) -> None:
    guild = make_community()
    post = claim(guild)
    assert post is not None
    before = utcnow()
    with db.session() as session:
        schedule.mark_failed(session=session, post=post, error="x" * 3000, retry_at=DUE)
    row = stored(post.id)
    assert (row.status, row.error, row.next_attempt_at) == ("failed", "x" * 2000, DUE)
    assert before <= row.updated_at <= utcnow()


def test_a_skipped_post_keeps_its_reason(engine: Engine) -> None:
    guild = make_community()
    post = claim(guild)
    assert post is not None
    before = utcnow()
    with db.session() as session:
        schedule.mark_skipped(session=session, post=post, reason="no prompts " + "y" * 3000)
    row = stored(post.id)
    assert (row.status, row.error) == ("skipped", ("no prompts " + "y" * 3000)[:2000])
    assert before <= row.updated_at <= utcnow()


def test_a_due_failure_is_retried_by_one_process(engine: Engine) -> None:
    guild = make_community()
    post = failed(guild, retry_at=DUE)
    now = DUE + timedelta(minutes=5)
    taken = retry(post, now, by="q" * 300)
    assert taken is not None and taken.id == post.id
    assert retry(post, now) is None  # claimed now, no longer failed
    row = stored(post.id)
    assert (row.status, row.attempts, row.claimed_by) == ("claimed", 2, "q" * 200)
    assert (row.claimed_at, row.updated_at) == (post.claimed_at, now)  # the first claim's time
    assert (row.lease_until, row.next_attempt_at) == (now + LEASE, None)


def test_a_failure_is_retried_from_its_retry_time_on(engine: Engine) -> None:
    guild = make_community()
    post = failed(guild, retry_at=DUE)
    assert retry(post, DUE - timedelta(seconds=1)) is None
    assert stored(post.id).status == "failed"
    assert retry(post, DUE) is not None


def test_a_failure_is_not_retried_past_its_attempts(engine: Engine) -> None:
    guild = make_community()
    post = failed(guild, retry_at=DUE, attempts=3)
    assert retry(post, DUE, max_attempts=3) is None
    assert (stored(post.id).status, stored(post.id).attempts) == ("failed", 3)
    taken = retry(post, DUE, max_attempts=4)
    assert taken is not None and taken.attempts == 4


def test_retrying_one_post_leaves_the_others_failed(engine: Engine) -> None:
    guild = make_community()
    other = make_community("Rust Guild", channel="C2")
    post = failed(guild, retry_at=DUE)
    waiting = failed(other, retry_at=DUE)
    assert retry(post, DUE) is not None
    assert (stored(waiting.id).status, stored(waiting.id).attempts) == ("failed", 1)
    assert due(DUE) == [waiting.id]  # the retry being made is not due again


def test_a_claim_is_retaken_only_once_its_lease_ran_out(engine: Engine) -> None:
    guild = make_community()
    post = claim(guild)
    assert post is not None and post.lease_until == DUE + LEASE
    assert retry(post, DUE + LEASE) is None  # its claimant still answers for it
    assert due(DUE + LEASE) == []
    assert due(DUE + LEASE + timedelta(seconds=1)) == [post.id]
    taken = retry(post, DUE + LEASE + timedelta(seconds=1))
    assert taken is not None and (taken.attempts, taken.claimed_by) == (2, "proc-2@host")


def test_an_abandoned_claim_is_retaken_whatever_its_attempts(engine: Engine) -> None:
    guild = make_community()
    post = claim(guild)
    assert post is not None
    with db.session() as session:
        row = session.get(ScheduledPost, post.id)
        assert row is not None
        row.attempts = 9
        session.add(row)
        session.commit()
    taken = retry(post, DUE + timedelta(days=1), max_attempts=3)  # settled either way
    assert taken is not None and taken.attempts == 10


def test_a_claim_needs_a_lease(engine: Engine) -> None:
    with pytest.raises(ValueError, match="lease"):
        claim(make_community(), lease_until=None)


def test_a_deferred_attempt_does_not_count(engine: Engine) -> None:
    post = failed(make_community(), retry_at=DUE, attempts=2)
    taken = retry(post, DUE)  # the third attempt
    assert taken is not None and taken.attempts == 3
    with db.session() as session:
        schedule.mark_deferred(session=session, post=taken, error="429", retry_at=DUE)
    row = stored(post.id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 2, DUE)


def test_a_claim_from_before_leases_is_taken_over(engine: Engine) -> None:
    """Rows claimed before migration 0010 have no lease: their claimant is long gone."""
    post = claim(make_community())
    assert post is not None
    with db.session() as session:
        row = session.get(ScheduledPost, post.id)
        assert row is not None
        row.lease_until = None
        session.add(row)
        session.commit()
    assert due(DUE) == [post.id]
    assert retry(post, DUE) is not None


def test_a_retake_in_a_session_that_holds_the_row_returns_it_as_stored(engine: Engine) -> None:
    post = failed(make_community(), retry_at=DUE)
    with db.session() as session:
        session.get(ScheduledPost, post.id)  # loaded before the update
        taken = schedule.retake_post(
            session=session,
            post_id=post.id or 0,
            now=DUE,
            claimed_by="p",
            max_attempts=3,
            lease_until=DUE + LEASE,
        )
        assert taken is not None
        assert (taken.status, taken.attempts, taken.lease_until) == ("claimed", 2, DUE + LEASE)


def test_only_failed_or_abandoned_posts_are_retried(engine: Engine) -> None:
    guild = make_community()
    post = claim(guild)
    assert post is not None
    assert retry(post, DUE + timedelta(minutes=1)) is None
    with db.session() as session:
        schedule.mark_failed(session=session, post=post, error="boom", retry_at=DUE)
        schedule.mark_posted(session=session, post=post, channel_id="C1", message_ts="1.2")
    assert retry(post, DUE + timedelta(days=1)) is None
    assert stored(post.id).status == "posted"


def test_retries_due_are_failures_whose_time_has_come(engine: Engine) -> None:
    guild = make_community()
    other = make_community("Rust Guild", channel="C2")
    on_time = failed(guild, retry_at=DUE)
    later = failed(other, retry_at=DUE + timedelta(hours=1))
    assert due(DUE - timedelta(seconds=1)) == []
    assert due(DUE) == [on_time.id]
    assert sorted(due(DUE + timedelta(hours=1))) == sorted([on_time.id, later.id])


def test_retries_due_leave_out_given_up_and_spent_posts(engine: Engine) -> None:
    guild = make_community()
    other = make_community("Rust Guild", channel="C2")
    given_up = failed(guild, retry_at=None)
    spent = failed(other, retry_at=DUE, attempts=3)
    posted = claim(guild, kind="digest")
    assert posted is not None
    with db.session() as session:
        schedule.mark_failed(session=session, post=posted, error="boom", retry_at=DUE)
        schedule.mark_posted(session=session, post=posted, channel_id="C1", message_ts="1.2")
    later = DUE + timedelta(days=1)
    assert due(later, max_attempts=3) == []
    assert due(later, max_attempts=4) == [spent.id]
    assert given_up.next_attempt_at is None


def test_the_last_post_is_the_latest_successful_one_of_its_kind(engine: Engine) -> None:
    guild = make_community()
    other = make_community("Rust Guild", channel="C2")

    def posted(community: Community, kind: str, period: str, at: datetime) -> ScheduledPost:
        post = claim(community, kind=kind, period=period)
        assert post is not None
        with db.session() as session:
            return schedule.mark_posted(
                session=session, post=post, channel_id="C1", message_ts=period, when=at
            )

    def last(community: Community, kind: str = "digest") -> str | None:
        with db.session() as session:
            post = schedule.last_post(session=session, community_id=community.id or 0, kind=kind)
            return post.period if post else None

    assert last(guild) is None
    # recorded in another order than posted (a retry succeeds after the next week's post)
    posted(guild, "digest", "2026-W46", DUE - timedelta(days=14))
    posted(guild, "digest", "2026-W47", DUE - timedelta(days=7))
    posted(guild, "digest", "2026-W45", DUE - timedelta(days=21))
    posted(guild, "kudos", "2026-W48", DUE)
    posted(other, "digest", "2026-W48", DUE)
    unposted = claim(guild, kind="digest", period="2026-W48")
    assert unposted is not None
    assert (last(guild), last(guild, "kudos"), last(other)) == ("2026-W47", "2026-W48", "2026-W48")


# pausing


def test_only_the_call_that_pauses_a_community_says_so(engine: Engine) -> None:
    guild = make_community()
    with db.session() as session:  # a second process's copy of the same row
        twin = session.get(Community, guild.id)
        assert twin is not None
        session.expunge(twin)
    before = utcnow()
    with db.session() as session:
        assert schedule.pause_community(session=session, community=guild, reason="r" * 600)
    with db.session() as session:
        assert not schedule.pause_community(session=session, community=twin, reason="again")
    assert (guild.paused, guild.paused_reason) == (True, "r" * 500)
    assert guild.paused_at is not None and before <= guild.paused_at <= utcnow()
    assert (twin.paused, twin.paused_reason) == (False, None)  # the loser learns nothing
    with db.session() as session:
        row = session.get(Community, guild.id)
        assert row is not None
        assert (row.paused, row.paused_reason, row.paused_at) == (True, "r" * 500, guild.paused_at)


def test_pausing_one_community_leaves_the_others_running(engine: Engine) -> None:
    guild = make_community()
    other = make_community("Rust Guild", channel="C2")
    with db.session() as session:
        schedule.pause_community(session=session, community=guild, reason="gone")
        running = session.get(Community, other.id)
        assert running is not None and not running.paused


def test_resuming_clears_the_pause(engine: Engine) -> None:
    guild = make_community()
    with db.session() as session:
        assert not schedule.resume_community(session=session, community=guild)
        schedule.pause_community(session=session, community=guild, reason="gone")
    with db.session() as session:  # /cop resume finds the community as stored: paused
        paused = session.get(Community, guild.id)
        assert paused is not None
        assert schedule.resume_community(session=session, community=paused)
        assert (paused.paused, paused.paused_reason, paused.paused_at) == (False, None, None)
    with db.session() as session:
        row = session.get(Community, guild.id)
        assert row is not None
        assert (row.paused, row.paused_reason, row.paused_at) == (False, None, None)
