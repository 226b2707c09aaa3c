"""Issue 13, finding 7: a form or button value copbot never sent is refused in place, and
nothing it stored can stop another community's posts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.slack_client import make_client
from sandbox.slack import block_actions_payload, state_value, view_submission_payload
from scheduler.tick import tick
from storage import communities, db
from storage.clock import utcnow
from storage.models import CommunitySchedule
from tests.harness import TEAM, Copbot


def _community_id(copbot: Copbot, channel: str = "CPYTHON") -> int:
    with db.session() as session:
        found = communities.community_for_channel(session=session, team_id=TEAM, channel_id=channel)
        assert found is not None and found.id is not None
        return found.id


def _schedule_form(community_id: int, *, time: str = "10:00", day: str = "0") -> dict:
    values: dict = {"timezone": {"timezone_input": state_value("UTC")}}
    for kind in ("prompt", "digest", "kudos"):
        values[f"{kind}_day"] = {"day": state_value(day, element="static_select")}
        values[f"{kind}_time"] = {"time": {"type": "timepicker", "selected_time": time}}
        values[f"{kind}_on"] = {"on": state_value(["on"], element="checkboxes")}
    return view_submission_payload(
        user_id="UALICE",
        callback_id="schedule",
        private_metadata=str(community_id),
        values=values,
    )


@pytest.mark.parametrize(("time", "day"), [("99:99", "0"), ("10:00", "7"), ("10:00", "²")])
def test_a_forged_schedule_value_is_refused_in_the_form(
    copbot: Copbot, time: str, day: str
) -> None:
    copbot.cop("/cop create Python Guild")
    sent = copbot.interactive(_schedule_form(_community_id(copbot), time=time, day=day))
    answer = sent.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) <= {
        f"{k}_{f}" for k in ("prompt", "digest", "kudos") for f in ("day", "time")
    }
    assert copbot.errors == []
    assert "Mondays at 10:00" in copbot.cop("/cop info")  # nothing was changed


def test_a_damaged_slot_in_one_community_stops_nobody_elses_posts(copbot: Copbot) -> None:
    copbot.standin.add_channel("CG1", "guild-1", members=["UALICE", "UCOPBOT"])
    copbot.cop("/cop create Broken Guild")
    copbot.cop("/cop create Healthy Guild", channel="CG1")
    broken = _community_id(copbot)
    with db.session() as session:  # as an older copbot let a forged form store it
        session.execute(
            update(CommunitySchedule)
            .where(CommunitySchedule.community_id == broken)  # type: ignore[arg-type]
            .values(minute=6039)
        )
        session.commit()
    client = make_client(token=copbot.standin.bot_token, base_url=copbot.standin.api_url)
    report = tick(
        now=utcnow() + timedelta(days=8), client_for=lambda team: client, catchup_hours=24 * 8
    )
    assert {community for community, _, _ in report.posted} >= {_community_id(copbot, "CG1")}
    assert "Mondays at 10:00" in copbot.cop("/cop info")  # the damaged slot reads as its default


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        ("search_more", '{"q": "x", "o": 1000000000000000000000000000000}'),
        ("search_more", "null"),
        ("confirm_snippet", "²"),
        ("confirm_snippet", "9" * 40),
    ],
)
def test_forged_button_values_get_a_friendly_answer(
    copbot: Copbot, action_id: str, value: str
) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.interactive(
        block_actions_payload(
            user_id="UALICE",
            action_id=action_id,
            value=value,
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON", user="UALICE"),
        )
    )
    assert copbot.errors == []
    replies = [str(r["body"]) for r in copbot.standin.responses]
    assert not any("something went wrong" in r for r in replies), replies


def test_null_view_fields_are_answered_not_crashed(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    forms = ("share_knowledge", "save_knowledge", "create_community", "schedule")
    for callback in (*forms, "home_search_submit"):
        payload = view_submission_payload(user_id="UALICE", callback_id=callback, values={})
        payload["view"]["state"] = None
        payload["view"]["private_metadata"] = None
        sent = copbot.interactive(payload)
        assert sent.status == 200, callback
    assert copbot.errors == []
    replies = [str(r["body"]) for r in copbot.standin.responses]
    assert not any("something went wrong" in r for r in replies), replies


@pytest.mark.parametrize("metadata", ["[1]", "{", '{"channel": "CPYTHON"}', '{"ts": "1.2"}'])
def test_a_save_form_whose_metadata_was_altered_says_so_in_the_form(
    copbot: Copbot, metadata: str
) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.clear_calls()
    payload = view_submission_payload(
        user_id="UALICE",
        callback_id="save_knowledge",
        values={},
        private_metadata=metadata,
    )
    sent = copbot.interactive(payload)
    assert sent.status == 200
    assert "open Save to knowledge again" in sent.body
    assert copbot.standin.calls_to("conversations.info") == []
