"""The daily clean-up: handled inbox events older than a day, cached messages past retention."""

from __future__ import annotations

import logging
from datetime import datetime

from storage import db
from storage.inbox import purge_inbox
from storage.messages import purge_messages

log = logging.getLogger("copbot.maintenance")


def run_maintenance(*, retention_days: int, now: datetime | None = None) -> dict[str, int]:
    """Purge what copbot no longer needs; returns how many rows of each kind went.

    Args:
        retention_days: COP_MESSAGE_RETENTION_DAYS.
        now: the current time, for tests.
    """
    with db.session() as session:
        removed = {
            "inbox_events": purge_inbox(session=session, now=now),
            "cached_messages": purge_messages(
                session=session, retention_days=retention_days, now=now
            ),
        }
    log.info("maintenance removed %s", removed)
    return removed
