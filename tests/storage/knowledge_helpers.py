"""Quick ways to put knowledge in a test database."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from sqlalchemy import func, select

from scheduler.kinds import default_slots
from storage import communities, db, knowledge
from storage.knowledge import NewSnippet
from storage.models import Community, Kudos, Snippet
from storage.models.knowledge import SOURCE_COMMAND

TEAM = "T0001"
_ts = count(1)


def make_community(
    name: str = "Python Guild", channel: str = "C1", private: bool = False
) -> Community:
    with db.session() as session:
        return communities.create_community(
            session=session,
            team_id=TEAM,
            name=name,
            domain="",
            channel_id=channel,
            channel_name=name.lower().replace(" ", "-"),
            is_private=private,
            created_by="UALICE",
            timezone="UTC",
            slots=default_slots(),
        )


def add_snippet(
    community: Community,
    text: str,
    *,
    title: str = "",
    tags: Sequence[str] = (),
    author: str = "UALICE",
    channel: str = "C1",
    private: bool = False,
    endorsers: Sequence[str] = (),
    source: str = SOURCE_COMMAND,
) -> Snippet:
    """A confirmed snippet (commands need no threshold), endorsed by `endorsers`."""
    with db.session() as session:
        snippet, _ = knowledge.capture_snippet(
            session=session,
            community=community,
            new=NewSnippet(
                channel_id=channel,
                message_ts=f"1700000000.{next(_ts):06d}",
                author_id=author,
                curator_id=author,
                text=text,
                title=title,
                tags=list(tags),
                permalink="https://test.slack.com/archives/C1/p1",
                source=source,
                is_private=private,
            ),
        )
        for user in endorsers or [author]:
            knowledge.add_endorsement(session=session, snippet=snippet, user_id=user, emoji="")
        return knowledge.refresh_snippet(session=session, snippet=snippet, community=community)


def received(community_id: int, receiver_id: str) -> int:
    """How many kudos a person received in a community, counted from the stored rows."""
    with db.session() as session:
        query = (
            select(func.count())
            .select_from(Kudos)
            .where(Kudos.community_id == community_id, Kudos.receiver_id == receiver_id)
        )
        return int(session.execute(query).scalar_one())
