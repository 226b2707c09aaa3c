"""Reading back knowledge in scenario tests."""

from __future__ import annotations

from storage import db, knowledge
from storage.models import Snippet
from tests.harness import TEAM


def snippet_at(ts: str, channel: str = "CPYTHON") -> Snippet | None:
    with db.session() as session:
        return knowledge.get_snippet(
            session=session, team_id=TEAM, channel_id=channel, message_ts=ts
        )


def tags_at(ts: str, channel: str = "CPYTHON") -> list[str]:
    found = snippet_at(ts, channel)
    assert found is not None
    with db.session() as session:
        return knowledge.tags_of(session=session, snippet=found)
