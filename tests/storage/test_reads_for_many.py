"""Reads for several communities at once (what App Home needs in a few queries) agree with
their one-community forms, and stay within the workspace."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from scheduler.kinds import default_slots
from storage import communities, db, knowledge, schedule, users
from storage.clock import utcnow
from storage.models import ROLE_FACILITATOR, CommunityChannel, Snippet
from storage.models.knowledge import STATUS_PENDING
from tests.storage.knowledge_helpers import TEAM, make_community

OTHER_TEAM = "T0002"


def _pending(community_id: int, channel: str, n: int, *, team: str = TEAM) -> None:
    with db.session() as session:
        for i in range(n):
            session.add(
                Snippet(
                    team_id=team,
                    community_id=community_id,
                    channel_id=channel,
                    message_ts=f"1700000{community_id}.{i:06d}",
                    author_id="UBOB",
                    curator_id="UBOB",
                    text=f"tip {i}",
                    status=STATUS_PENDING,
                    is_private=i % 2 == 1,
                    created_at=utcnow() - timedelta(hours=n - i),
                )
            )
        session.commit()


def _other_team_community() -> int:
    with db.session() as session:
        other = communities.create_community(
            session=session,
            team_id=OTHER_TEAM,
            name="Elsewhere",
            domain="",
            channel_id="C9",
            channel_name="elsewhere",
            is_private=False,
            created_by="UBOB",
            timezone="UTC",
            slots=default_slots(),
        )
        assert other.id is not None
        return other.id


def test_memberships_channels_schedules_and_names_match_the_single_reads(engine: Engine) -> None:
    python, data = make_community("Python Guild", "C1"), make_community("Data Guild", "C2")
    other = _other_team_community()
    with db.session() as session:
        communities.add_members(session=session, community=python, user_ids=["UBOB"])
        communities.add_members(session=session, community=data, user_ids=["UBOB"])
        communities.set_role(session=session, community=data, user_id="UBOB", role=ROLE_FACILITATOR)
        session.add(
            CommunityChannel(
                team_id=TEAM,
                community_id=python.id or 0,
                channel_id="C3",
                channel_name="python-2",
                is_private=False,
                added_by="UALICE",
                added_at=utcnow(),
            )
        )
        session.commit()
        schedule.set_schedule(session=session, community=python, kind="digest", enabled=False)
        ids = [python.id or 0, data.id or 0, other]

        memberships = communities.memberships_of_user(session=session, team_id=TEAM, user_id="UBOB")
        assert [c.id for c, _ in memberships] == [
            c.id
            for c in communities.communities_of_user(session=session, team_id=TEAM, user_id="UBOB")
        ]
        assert [(c.name, role) for c, role in memberships] == [
            ("Data Guild", ROLE_FACILITATOR),
            ("Python Guild", "member"),
        ]
        brief = communities.memberships_in_brief(session=session, team_id=TEAM, user_id="UBOB")
        assert [
            (c.id, c.name, c.paused, c.timezone, c.created_at, role) for c, role in memberships
        ] == [(m.id, m.name, m.paused, m.timezone, m.created_at, m.role) for m in brief]
        homes = [communities.home_channel(session=session, community_id=m.id) for m in brief]
        assert [m.channel_id for m in brief] == [h.channel_id for h in homes if h] == ["C2", "C1"]
        rows = schedule.schedules_of_communities(session=session, team_id=TEAM, community_ids=ids)
        assert rows[other] == []
        for community_id in ids[:2]:
            single = schedule.schedules_of(session=session, community_id=community_id)
            fields = ("community_id", "kind", "weekday", "minute", "enabled", "updated_at")
            assert rows[community_id] == [tuple(getattr(r, f) for f in fields) for r in single]
        names = communities.names_of(session=session, team_id=TEAM, community_ids=ids)
        assert names == {python.id: "Python Guild", data.id: "Data Guild"}


def test_pending_in_communities_keeps_each_ones_oldest(engine: Engine) -> None:
    python, data = make_community("Python Guild", "C1"), make_community("Data Guild", "C2")
    other = _other_team_community()
    _pending(python.id or 0, "C1", 5)
    _pending(data.id or 0, "C2", 2)
    _pending(other, "C9", 3, team=OTHER_TEAM)
    with db.session() as session:
        ids = [python.id or 0, data.id or 0, other]
        waiting = knowledge.pending_in_communities(
            session=session, team_id=TEAM, community_ids=ids, limit=3
        )
        assert waiting[other] == []
        for community_id in ids[:2]:
            single = knowledge.pending_snippets(session=session, community_id=community_id, limit=3)
            assert [r.snippet_id for r in waiting[community_id]] == [s.id for s in single]
            assert [(r.channel_id, r.is_private) for r in waiting[community_id]] == [
                (s.channel_id, s.is_private) for s in single
            ]
        assert (
            knowledge.pending_in_communities(session=session, team_id=TEAM, community_ids=[]) == {}
        )

        first = [r.snippet_id for r in waiting[python.id or 0]]
        foreign = knowledge.pending_snippets(session=session, community_id=other)[0].id or 0
        found = knowledge.snippets_by_ids(
            session=session, team_id=TEAM, snippet_ids=[first[2], foreign, first[0]]
        )
        assert [s.id for s in found] == [first[2], first[0]]


def test_cached_profiles_leaves_out_stale_and_unknown_people(engine: Engine) -> None:
    with db.session() as session:
        for user_id in ("UALICE", "UBOB"):
            users.save_profile(session=session, team_id=TEAM, user={"id": user_id, "name": user_id})
        later = utcnow() + users.PROFILE_TTL + timedelta(minutes=1)
        fresh = users.cached_profiles(
            session=session, team_id=TEAM, user_ids=["UBOB", "UALICE", "UBOB", "UCAROL"]
        )
        assert sorted(fresh) == ["UALICE", "UBOB"]
        assert users.cached_profiles(session=session, team_id=OTHER_TEAM, user_ids=["UBOB"]) == {}
        assert (
            users.cached_profiles(session=session, team_id=TEAM, user_ids=["UBOB"], now=later) == {}
        )
        assert users.cached_profiles(session=session, team_id=TEAM, user_ids=[]) == {}
