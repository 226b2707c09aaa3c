"""Logging set-up for the copbot process."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    """One line per record on stderr; library chatter (Slack SDK, APScheduler's every run)
    stays at WARNING unless DEBUG."""
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S",
    )
    if level != "DEBUG":
        for noisy in ("slack_bolt", "slack_sdk", "urllib3", "alembic", "apscheduler"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
