"""The daily maintenance job and its scheduling."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.config import Settings
from scheduler.maintenance import run_maintenance
from scheduler.runner import MAINTENANCE_JOB, build_scheduler
from storage import db, messages
from storage.clock import utcnow
from storage.inbox import mark_done, receive


def test_maintenance_purges_handled_events_and_old_messages(engine: Engine) -> None:
    with db.session() as session:
        receive(session=session, event_id="Ev1", team_id="T1", body="{}", lease_until=utcnow())
        mark_done(session=session, event_id="Ev1")
        messages.cache_message(
            session=session,
            team_id="T1",
            channel_id="C1",
            ts=f"{utcnow().timestamp():.6f}",
            user_id="U1",
            text="hi",
        )
    assert run_maintenance(retention_days=30) == {"inbox_events": 0, "cached_messages": 0}
    later = utcnow() + timedelta(days=31)
    assert run_maintenance(retention_days=30, now=later) == {
        "inbox_events": 1,
        "cached_messages": 1,
    }


def test_the_scheduler_runs_maintenance_daily_without_overlap() -> None:
    scheduler = build_scheduler(Settings(slack_signing_secret="s", message_retention_days=7))
    scheduler.start(paused=True)  # defaults are applied when jobs reach the job store
    try:
        job = scheduler.get_job(MAINTENANCE_JOB)
        assert job.kwargs == {"retention_days": 7}
        assert job.trigger.interval == timedelta(days=1)
        assert (job.coalesce, job.max_instances) == (True, 1)
    finally:
        scheduler.shutdown(wait=False)
