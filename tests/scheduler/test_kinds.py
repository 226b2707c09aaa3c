"""Every kind of scheduled post is whole: a name, label, words, default slot, job and renderer.

Adding a kind is one PostKind in scheduler/kinds.py plus its job and renderer; these tests
name whatever a new kind is missing, and show it working everywhere kinds are listed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.blocks.kit import Message
from bot.blocks.schedule import schedule_modal
from bot.slack_client import make_client
from handlers.shared.schedule import parse_kind
from sandbox.slack import SlackStandIn
from scheduler.jobs import NO_KUDOS
from scheduler.kinds import BY_WORD, KINDS, PostKind, default_slots
from scheduler.periods import Slot
from scheduler.slots import community_slots, schedule_lines, weekly_slots
from storage import communities, db, schedule
from storage.models import CommunitySchedule
from tests.harness import TEAM

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_kind_is_defined_whole(kind: PostKind) -> None:
    assert kind.name and kind.name == kind.name.strip().lower(), f"{kind}: needs a plain name"
    assert kind.label.strip(), f"{kind.name}: needs a label people read"
    assert kind.name in kind.words, f"{kind.name}: facilitators must be able to type its name"
    assert isinstance(kind.default_slot, Slot), f"{kind.name}: needs a default weekly slot"
    assert callable(kind.draft), f"{kind.name}: needs a job that drafts its post"
    assert callable(kind.posted), f"{kind.name}: needs a (possibly empty) record step"


def test_names_labels_and_words_are_unique() -> None:
    names = [k.name for k in KINDS]
    labels = [k.label for k in KINDS]
    words = [w for k in KINDS for w in k.words]
    assert len(set(names)) == len(names), f"two kinds share a name: {names}"
    assert len(set(labels)) == len(labels), f"two kinds share a label: {labels}"
    assert len(set(words)) == len(words), f"two kinds answer to the same word: {words}"
    assert set(default_slots()) == set(names)


@pytest.mark.parametrize("word", sorted(BY_WORD))
def test_every_word_a_facilitator_types_finds_its_kind(word: str) -> None:
    assert parse_kind(word) is BY_WORD[word]
    assert parse_kind(word.upper()) is BY_WORD[word]


@pytest.fixture
def guild(engine: Engine, standin: SlackStandIn) -> int:
    standin.add_channel("CG0", "guild", members=["UALICE", "UCOPBOT"])
    with db.session() as session:
        community = communities.create_community(
            session=session,
            team_id=TEAM,
            name="Guild",
            domain="things",
            channel_id="CG0",
            channel_name="guild",
            is_private=False,
            created_by="UALICE",
            timezone="UTC",
            slots=default_slots(),
        )
        assert community.id is not None
        return community.id


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_kind_drafts_a_message_for_a_new_community(
    kind: PostKind, guild: int, standin: SlackStandIn
) -> None:
    client = make_client(token=standin.bot_token, base_url=standin.api_url)
    with db.session() as session:
        community = communities.get_community(session=session, team_id=TEAM, community_id=guild)
        assert community is not None
        draft = kind.draft_for(client, session, community=community, now=NOW)
    if kind.name == "kudos":  # a week without kudos: the digest's quiet note says it once
        assert draft.message is None and draft.skipped == NO_KUDOS
        return
    assert isinstance(draft.message, Message), f"{kind.name}: drafted {draft}, no message"
    assert draft.message.text.strip() and draft.message.blocks, f"{kind.name}: empty message"
    assert standin.calls_to("chat.postMessage") == [], f"{kind.name}: drafting must not post"


def test_each_kind_is_in_a_new_communitys_schedule_and_form(guild: int) -> None:
    with db.session() as session:
        community = communities.get_community(session=session, team_id=TEAM, community_id=guild)
        assert community is not None
        lines = schedule_lines(session, community, NOW)
    assert [line.kind for line in lines] == [k.name for k in KINDS]
    assert [line.label for line in lines] == [k.label for k in KINDS]
    form = schedule_modal(community_id=guild, lines=lines, timezone="UTC")
    block_ids = {block.get("block_id") for block in form["blocks"]}
    for kind in KINDS:
        missing = {f"{kind.name}_day", f"{kind.name}_time", f"{kind.name}_on"} - block_ids
        assert not missing, f"{kind.name}: the schedule form lacks {sorted(missing)}"


def test_a_kind_a_community_has_no_row_for_gets_its_default_slot(guild: int) -> None:
    with db.session() as session:
        community = communities.get_community(session=session, team_id=TEAM, community_id=guild)
        assert community is not None
        rows = schedule.schedules_of(session=session, community_id=guild)
        # as if the last kind had been added to copbot after this community was created
        older = [r for r in rows if r.kind != KINDS[-1].name]
        slots = weekly_slots(community, older)
        stored = community_slots(session, community)
    assert [s.kind for s in slots] == list(KINDS)
    assert slots[-1].slot == KINDS[-1].default_slot and slots[-1].enabled
    assert slots[-1].since == community.created_at
    assert [(s.kind, s.slot) for s in stored] == [(k, k.default_slot) for k in KINDS]


def test_a_stored_slot_wins_over_the_default_and_unknown_kinds_are_ignored(guild: int) -> None:
    with db.session() as session:
        community = communities.get_community(session=session, team_id=TEAM, community_id=guild)
        assert community is not None
        changed = schedule.set_schedule(
            session=session, community=community, kind=KINDS[0].name, weekday=2, minute=90
        )
        rows = [
            *schedule.schedules_of(session=session, community_id=guild),
            CommunitySchedule(team_id=TEAM, community_id=guild, kind="retired", weekday=1),
        ]
        slots = weekly_slots(community, rows)
    assert [s.kind.name for s in slots] == [k.name for k in KINDS]
    assert slots[0].slot == Slot(2, 90) and slots[0].since == changed.updated_at
    assert slots[0].since > community.created_at - timedelta(seconds=1)
