"""Event receipts make a re-delivered event a no-op."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from storage import db
from storage.clock import utcnow
from storage.events import purge_event_receipts, record_event


def test_an_event_id_is_fresh_only_once(engine: Engine) -> None:
    with db.session() as session:
        assert record_event(session=session, event_id="Ev1", team_id="T1")
        assert not record_event(session=session, event_id="Ev1", team_id="T1")
        assert record_event(session=session, event_id="Ev2", team_id="T1")


def test_receipts_older_than_a_day_are_purged(engine: Engine) -> None:
    with db.session() as session:
        record_event(session=session, event_id="Ev1", team_id="T1")
        assert purge_event_receipts(session=session, now=utcnow() + timedelta(hours=1)) == 0
        assert purge_event_receipts(session=session, now=utcnow() + timedelta(hours=25)) == 1
        assert record_event(session=session, event_id="Ev1", team_id="T1")
