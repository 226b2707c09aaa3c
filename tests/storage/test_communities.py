"""Communities, channels and membership in storage."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from scheduler.kinds import default_slots
from storage import communities, db, schedule
from storage.models import ROLE_FACILITATOR

TEAM = "T0001"


def _create(name: str = "Python Guild", channel: str = "C1", members: tuple[str, ...] = ()):
    with db.session() as session:
        community = communities.create_community(
            session=session,
            team_id=TEAM,
            name=name,
            domain="All things Python",
            channel_id=channel,
            channel_name="python",
            is_private=False,
            created_by="UALICE",
            timezone="Europe/Berlin",
            slots=default_slots(),
        )
        communities.add_members(session=session, community=community, user_ids=members)
        return community


def test_create_makes_creator_facilitator_and_seeds_members(engine: Engine) -> None:
    community = _create(members=("UALICE", "UBOB", "UBOB", "UCAROL"))
    with db.session() as session:
        overview = communities.community_overview(session=session, community=community)
        creator = communities.get_member(
            session=session, community_id=community.id, user_id="UALICE"
        )
    assert overview.member_count == 3
    assert overview.facilitator_ids == ["UALICE"]
    assert creator is not None and creator.role == ROLE_FACILITATOR
    with db.session() as session:
        kinds = [s.kind for s in schedule.schedules_of(session=session, community_id=community.id)]
    assert kinds == ["prompt", "digest", "kudos"]
    assert [c.channel_id for c in overview.channels] == ["C1"]


def test_names_are_unique_per_workspace_ignoring_case(engine: Engine) -> None:
    _create()
    with pytest.raises(communities.NameTaken):
        _create(name="python  GUILD", channel="C2")
    with db.session() as session:
        found = communities.community_by_name(session=session, team_id=TEAM, name="PYTHON guild")
        everyone = communities.community_channels(session=session, team_id=TEAM)
    assert found is not None and found.name == "Python Guild"
    assert [(c.name, ch.channel_id) for c, ch in everyone] == [("Python Guild", "C1")]


def test_workspaces_never_mix(engine: Engine) -> None:
    _create()
    with db.session() as session:
        assert (
            communities.community_for_channel(session=session, team_id="T0002", channel_id="C1")
            is None
        )
        assert communities.community_channels(session=session, team_id="T0002") == []
        assert (
            communities.community_by_name(session=session, team_id="T0002", name="Python Guild")
            is None
        )


def test_join_and_leave_are_idempotent(engine: Engine) -> None:
    community = _create()
    with db.session() as session:
        assert communities.join_community(session=session, community=community, user_id="UBOB")
        assert not communities.join_community(session=session, community=community, user_id="UBOB")
        assert communities.leave_community(session=session, community=community, user_id="UBOB")
        assert not communities.leave_community(session=session, community=community, user_id="UBOB")
        assert communities.join_community(session=session, community=community, user_id="UBOB")
        mine = communities.communities_of_user(session=session, team_id=TEAM, user_id="UBOB")
        overview = communities.community_overview(session=session, community=community)
    assert [c.name for c in mine] == ["Python Guild"]
    assert overview.member_count == 2
