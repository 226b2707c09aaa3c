"""APScheduler wiring for `copbot run`: background jobs beside the Slack listener."""

from __future__ import annotations

from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from bot.config import Settings
from scheduler.maintenance import run_maintenance
from scheduler.repair import REPAIR_MINUTES, repair_unconfirmed_posts
from scheduler.tick import ClientFor, tick
from storage.clock import utcnow

MAINTENANCE_JOB = "maintenance"
TICK_JOB = "tick"
REDO_JOB = "inbox"
REPAIR_JOB = "repair"
REDO_SECONDS = 30


def run_repair(client_for: ClientFor) -> None:
    """Point shared knowledge and kudos at posts Slack made but never confirmed."""
    repair_unconfirmed_posts(client_for, now=utcnow())


def run_tick(settings: Settings, client_for: ClientFor) -> None:
    """One tick at the current time (the job APScheduler runs every minute)."""
    tick(now=utcnow(), client_for=client_for, catchup_hours=settings.catchup_hours)


def build_scheduler(
    settings: Settings,
    client_for: ClientFor | None = None,
    *,
    redo: Callable[[], object] | None = None,
) -> BackgroundScheduler:
    """A (not yet started) scheduler whose jobs never overlap and coalesce missed runs.

    Args:
        settings: the loaded configuration.
        client_for: Web API clients by workspace; without it only maintenance runs.
        redo: hands the inbox's dropped work in again (bot.worker.Worker.take_due),
            every REDO_SECONDS.
    """
    scheduler = BackgroundScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    scheduler.add_job(
        run_maintenance,
        "interval",
        hours=24,
        id=MAINTENANCE_JOB,
        next_run_time=utcnow(),
        kwargs={"retention_days": settings.message_retention_days},
    )
    if client_for is not None:
        scheduler.add_job(
            run_tick,
            "cron",
            second=0,
            id=TICK_JOB,
            kwargs={"settings": settings, "client_for": client_for},
        )
        scheduler.add_job(
            run_repair,
            "interval",
            minutes=REPAIR_MINUTES,
            id=REPAIR_JOB,
            kwargs={"client_for": client_for},
        )
    if redo is not None:
        scheduler.add_job(redo, "interval", seconds=REDO_SECONDS, id=REDO_JOB)
    return scheduler
