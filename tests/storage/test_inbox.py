"""The inbox: an event is handled once, dropped work is handled again, handled events are purged."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from storage import db, inbox
from storage.clock import utcnow
from storage.models import InboxEvent

LEASE = timedelta(minutes=2)


def receive(event_id: str, *, at: timedelta = timedelta(0)) -> str:
    with db.session() as session:
        return inbox.receive(
            session=session,
            event_id=event_id,
            team_id="T1",
            body=f'{{"event_id": "{event_id}"}}',
            lease_until=utcnow() + at + LEASE,
        )


def row(event_id: str) -> InboxEvent:
    with db.session() as session:
        return session.exec(select(InboxEvent).where(InboxEvent.event_id == event_id)).one()


def test_an_event_is_fresh_once_and_then_seen_while_held_or_done(engine: Engine) -> None:
    assert receive("Ev1") == inbox.FRESH
    assert receive("Ev1") == inbox.SEEN  # in hand: its holder's lease runs
    with db.session() as session:
        inbox.mark_done(session=session, event_id="Ev1")
    assert receive("Ev1") == inbox.SEEN
    assert (row("Ev1").status, row("Ev1").attempts) == ("done", 1)
    assert receive("Ev2") == inbox.FRESH


def test_a_redelivery_after_the_lease_ran_out_is_handled_again(engine: Engine) -> None:
    with db.session() as session:
        inbox.receive(
            session=session, event_id="Ev1", team_id="T1", body="{}", lease_until=utcnow()
        )
    assert receive("Ev1") == inbox.RETAKEN
    assert row("Ev1").attempts == 2
    assert receive("Ev1") == inbox.SEEN  # retaken: the new lease runs


def test_a_batch_is_recorded_in_one_go_each_arrival_with_its_own_outcome(engine: Engine) -> None:
    receive("Ev1")  # in hand elsewhere
    with db.session() as session:
        inbox.receive(
            session=session, event_id="Ev2", team_id="T1", body="{}", lease_until=utcnow()
        )
    now = utcnow()
    arrivals = [
        inbox.Arrival("Ev3", "T1", '{"n": 3}', now + LEASE),
        inbox.Arrival("Ev1", "T1", "{}", now + LEASE),  # held: seen
        inbox.Arrival("Ev2", "T1", "{}", now + LEASE),  # its lease ran out: taken again
        inbox.Arrival("Ev3", "T1", '{"n": 3}', now + LEASE),  # Slack's retry in the same batch
        inbox.Arrival("trigger 1.2.3", "T2", '{"c": 1}', now, asked="a" * 32),
    ]
    with db.session() as session:
        outcomes = inbox.receive_many(session=session, arrivals=arrivals)
    assert outcomes == [inbox.FRESH, inbox.SEEN, inbox.RETAKEN, inbox.SEEN, inbox.FRESH]
    assert (row("Ev3").body, row("Ev3").attempts) == ('{"n": 3}', 1)
    assert row("Ev2").attempts == 2
    command = row("trigger 1.2.3")
    assert (command.team_id, command.asked, command.status) == ("T2", "a" * 32, "pending")
    with db.session() as session:
        assert inbox.receive_many(session=session, arrivals=[]) == []


def test_dropped_events_are_taken_once_by_one_of_many_takers(engine: Engine) -> None:
    for i in range(30):
        receive(f"Ev{i}")
    with db.session() as session:
        inbox.mark_done(session=session, event_id="Ev0")
    later = utcnow() + LEASE + timedelta(seconds=1)
    taken: list[list[str]] = []

    def take() -> None:
        with db.session() as session:
            due = inbox.take_due(
                session=session, now=later, lease_until=later + LEASE, max_attempts=5, limit=50
            )
        taken.append([d.event_id for d in due])

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = sorted(e for batch in taken for e in batch)
    assert every == sorted(f"Ev{i}" for i in range(1, 30))  # each once, the done one never
    with db.session() as session:
        again = inbox.take_due(session=session, now=later, lease_until=later, max_attempts=5)
    assert again == []  # their new leases run


def test_an_event_that_keeps_failing_is_given_up(engine: Engine) -> None:
    receive("Ev1")
    now = utcnow()
    for attempt in range(2, 4):
        now += LEASE + timedelta(seconds=1)
        with db.session() as session:
            [due] = inbox.take_due(
                session=session, now=now, lease_until=now + LEASE, max_attempts=3
            )
        assert due.attempts == attempt
    now += LEASE + timedelta(seconds=1)
    with db.session() as session:
        assert inbox.take_due(session=session, now=now, lease_until=now, max_attempts=3) == []
    assert (row("Ev1").status, row("Ev1").error) == ("failed", "not handled after 3 attempts")


def test_handled_events_older_than_a_day_are_purged_pending_ones_never(engine: Engine) -> None:
    receive("Ev1")
    receive("Ev2")
    with db.session() as session:
        inbox.mark_done(session=session, event_id="Ev1")
        assert inbox.purge_inbox(session=session, now=utcnow() + timedelta(hours=1)) == 0
        assert inbox.purge_inbox(session=session, now=utcnow() + timedelta(hours=25)) == 1
    assert receive("Ev1") == inbox.FRESH
    assert row("Ev2").status == "pending"


def test_work_left_for_takers_is_found_by_a_read_and_taken_lane_by_lane(engine: Engine) -> None:
    now = utcnow()
    left = [
        inbox.Arrival(f"Ev{i}", "T1", "{}", now, attempts=0, lane="background") for i in range(3)
    ]
    left.append(inbox.Arrival("trigger 1.2", "T1", "{}", now, attempts=0, lane="interactive"))
    left.append(inbox.Arrival("Ev9", "T1", "{}", now + LEASE, lane="background"))  # in hand
    with db.session() as session:
        inbox.receive_many(session=session, arrivals=left)
    later = now + timedelta(seconds=1)
    with db.session() as session:
        assert inbox.due_lanes(session=session, now=now) == set()  # not due before `now`
        assert inbox.due_lanes(session=session, now=later) == {"background", "interactive"}
        first = inbox.take_due(
            session=session,
            now=later,
            lease_until=later + LEASE,
            max_attempts=5,
            lane="interactive",
        )
        rest = inbox.take_due(
            session=session, now=later, lease_until=later + LEASE, max_attempts=5, limit=2
        )
    assert [(d.event_id, d.attempts, d.lane) for d in first] == [("trigger 1.2", 1, "interactive")]
    assert [(d.event_id, d.attempts) for d in rest] == [("Ev0", 1), ("Ev1", 1)]
    with db.session() as session:
        assert inbox.due_lanes(session=session, now=later) == {"background"}


def test_replays_of_work_left_for_takers_use_up_none_of_its_attempts(engine: Engine) -> None:
    """A signed request replayed many times before a work process takes it (a door left it,
    due at once) is still handled, once, on its first attempt."""
    now = utcnow()
    left = inbox.Arrival("trigger 9.9", "T1", '{"c": 1}', now, attempts=0, lane="interactive")
    with db.session() as session:
        outcomes = [inbox.receive_many(session=session, arrivals=[left])[0] for _ in range(10)]
    assert outcomes == [inbox.FRESH] + [inbox.SEEN] * 9
    later = now + timedelta(seconds=1)
    with db.session() as session:
        taken = inbox.take_due(
            session=session, now=later, lease_until=later + LEASE, max_attempts=5
        )
    assert [(d.event_id, d.attempts) for d in taken] == [("trigger 9.9", 1)]
    assert row("trigger 9.9").status == "pending"
