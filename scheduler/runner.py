"""APScheduler wiring for `copbot run`: background jobs beside the Slack listener."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler

from bot.config import Settings
from scheduler.maintenance import run_maintenance
from storage.types import utcnow

MAINTENANCE_JOB = "maintenance"


def build_scheduler(settings: Settings) -> BackgroundScheduler:
    """A (not yet started) scheduler whose jobs never overlap and coalesce missed runs.

    Args:
        settings: the loaded configuration.
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
    return scheduler
