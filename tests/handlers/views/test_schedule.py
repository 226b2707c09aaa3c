"""The /cop schedule form."""

from __future__ import annotations

from sandbox.slack import state_value, view_submission_payload
from storage import communities, db, schedule
from tests.harness import TEAM, Copbot


def _guild(copbot: Copbot):
    copbot.cop("/cop create Python Guild — all things Python")
    with db.session() as session:
        return communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )


def test_the_schedule_form(copbot: Copbot) -> None:
    community = _guild(copbot)
    copbot.cop("/cop schedule")
    view = copbot.standin.calls_to("views.open")[-1].args["view"]
    assert view["callback_id"] == "schedule" and view["private_metadata"] == str(community.id)
    values = {
        "prompt_day": {"day": state_value("1", element="static_select")},
        "prompt_time": {"time": state_value("09:15", element="timepicker")},
        "prompt_on": {"on": state_value(["on"], element="checkboxes")},
        "digest_day": {"day": state_value("4", element="static_select")},
        "digest_time": {"time": state_value("16:00", element="timepicker")},
        "digest_on": {"on": state_value([], element="checkboxes")},
        "kudos_day": {"day": state_value("4", element="static_select")},
        "kudos_time": {"time": state_value("16:05", element="timepicker")},
        "kudos_on": {"on": state_value(["on"], element="checkboxes")},
        "timezone": {"timezone_input": state_value("Asia/Kolkata")},
    }
    submission = view_submission_payload(
        user_id="UALICE", callback_id="schedule", private_metadata=str(community.id), values=values
    )
    assert copbot.interactive(submission).status == 200
    with db.session() as session:
        rows = {
            r.kind: r for r in schedule.schedules_of(session=session, community_id=community.id)
        }
    assert (rows["prompt"].weekday, rows["prompt"].minute, rows["prompt"].enabled) == (1, 555, True)
    assert rows["digest"].enabled is False
    assert "Asia/Kolkata" in copbot.cop("/cop info")
    bad = {**values, "timezone": {"timezone_input": state_value("Nowhere/Land")}}
    answer = copbot.interactive(
        view_submission_payload(
            user_id="UALICE", callback_id="schedule", private_metadata=str(community.id), values=bad
        )
    )
    assert answer.json()["response_action"] == "errors"
