"""Event receipts: which Slack event ids have already been processed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete

from storage.clock import utcnow
from storage.models import EventReceipt
from storage.upsert import insert_if_absent

RECEIPT_TTL = timedelta(hours=24)


def record_event(*, session: Session, event_id: str, team_id: str) -> bool:
    """Remember `event_id`; False when it was seen before (a re-delivery).

    Args:
        session: the open session; committed here so the receipt is visible at once.
        event_id: Slack's event_id from the event_callback envelope.
        team_id: the workspace it came from.
    """
    fresh = insert_if_absent(
        session=session,
        model=EventReceipt,
        values={"event_id": event_id, "team_id": team_id, "received_at": utcnow()},
    )
    session.commit()
    return fresh


def purge_event_receipts(*, session: Session, now: datetime | None = None) -> int:
    """Delete receipts older than 24 h; returns how many went.

    Args:
        session: the open session (committed here).
        now: the current time, for tests.
    """
    cutoff = (now or utcnow()) - RECEIPT_TTL
    result = session.execute(delete(EventReceipt).where(col(EventReceipt.received_at) < cutoff))
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]
