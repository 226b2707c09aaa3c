"""The database goes down during traffic and comes back: what copbot could not record it
refused (5xx, so Slack sends it again), and in the end every event took effect exactly once.

The database is a PostgreSQL server of the test's own, stopped abruptly (`pg_ctl -m
immediate`) in the middle of a stream of knowledge reactions, then started again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.inbox import LEASE
from sandbox.slack import SlackStandIn, reaction_event
from storage import db
from storage.clock import utcnow
from storage.migrate import prepare_database
from storage.models import Endorsement, InboxEvent, Snippet
from tests.harness import running_copbot, settings_for
from tests.pgcluster import ThrowawayPostgres
from tests.storage.knowledge_helpers import make_community

pytestmark = pytest.mark.slow

EVENTS = 60
OUTAGE = range(20, 40)  # the server is down while these are sent


@pytest.fixture
def server() -> Iterator[ThrowawayPostgres]:
    postgres = ThrowawayPostgres()
    postgres.start()
    try:
        yield postgres
    finally:
        postgres.close()
        db.get_engine().dispose()


def test_an_outage_loses_nothing_and_doubles_nothing(
    server: ThrowawayPostgres, standin: SlackStandIn
) -> None:
    prepare_database(server.url)
    make_community(channel="CPYTHON")
    messages = [standin.add_message("CPYTHON", "UBOB", f"tip {i}")["ts"] for i in range(EVENTS)]
    events = [
        (
            f"EvOUT{i:04d}",
            reaction_event("UALICE", "bulb", channel="CPYTHON", ts=ts, item_user="UBOB"),
        )
        for i, ts in enumerate(messages)
    ]
    with running_copbot(standin, settings_for(standin, server.url)) as copbot:
        statuses: dict[str, int] = {}
        for i, (event_id, event) in enumerate(events):
            if i == OUTAGE.start:
                server.stop()
            if i == OUTAGE.stop:
                server.start()
            statuses[event_id] = copbot.sender.event(event, event_id=event_id).status
            time.sleep(0.02)
        copbot.wait_idle()
        during = {statuses[events[i][0]] for i in OUTAGE}
        assert during <= {503, 200} and 503 in during, f"during the outage: {during}"
        assert {statuses[events[i][0]] for i in range(OUTAGE.start)} == {200}

        for event_id, event in events:  # Slack sends again what got no 200
            if statuses[event_id] != 200:
                resent = copbot.sender.event(event, event_id=event_id, retry_num=1)
                assert resent.status == 200, event_id
        copbot.wait_idle()
        copbot.door.worker.take_due(now=utcnow() + LEASE + timedelta(seconds=1))
        copbot.wait_idle()

    with db.session() as session:
        snippets = session.exec(select(Snippet.message_ts)).all()
        endorsed = session.exec(
            select(Snippet.message_ts).join(Endorsement, Endorsement.snippet_id == Snippet.id)
        ).all()
        inbox = {r.event_id: r.status for r in session.exec(select(InboxEvent))}
    assert sorted(snippets) == sorted(messages)
    assert sorted(endorsed) == sorted(messages)
    assert set(inbox.values()) == {"done"} and len(inbox) == EVENTS
