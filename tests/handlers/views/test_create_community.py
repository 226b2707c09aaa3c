"""The "New community" form that /cop create opens without a name."""

from __future__ import annotations

from sandbox.slack import state_value, view_submission_payload
from storage import communities, db
from tests.harness import TEAM, Copbot


def _community(channel: str = "CPYTHON"):
    with db.session() as session:
        return communities.community_for_channel(session=session, team_id=TEAM, channel_id=channel)


def test_create_without_a_name_opens_the_modal_and_submitting_it_creates(copbot: Copbot) -> None:
    reply = copbot.cop("/cop create")
    assert reply.status == 200
    [call] = copbot.standin.calls_to("views.open")
    view = call.args["view"]
    assert view["callback_id"] == "create_community"
    assert view["private_metadata"] == "CPYTHON"

    submission = view_submission_payload(
        user_id="UALICE",
        callback_id="create_community",
        private_metadata="CPYTHON",
        values={
            "name": {"name_input": state_value("Testing Circle")},
            "domain": {"domain_input": state_value("pytest, hypothesis and friends")},
        },
    )
    answer = copbot.interactive(submission)
    assert answer.status == 200
    community = _community()
    assert community is not None and community.name == "Testing Circle"
    assert "Testing Circle" in copbot.standin.last_message("CPYTHON")["text"]


def test_modal_errors_stay_in_the_modal(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild", channel="CSECRET")
    submission = view_submission_payload(
        user_id="UALICE",
        callback_id="create_community",
        private_metadata="CPYTHON",
        values={
            "name": {"name_input": state_value("python guild")},
            "domain": {"domain_input": state_value(None)},
        },
    )
    answer = copbot.interactive(submission)
    assert answer.json()["response_action"] == "errors"
    assert "already a community called" in answer.json()["errors"]["name"]
    assert _community("CPYTHON") is None


def test_form_errors_say_what_to_do_there_not_what_to_type(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")

    def submitted(name: str, channel: str = "CPYTHON") -> str:
        answer = copbot.interactive(
            view_submission_payload(
                user_id="UALICE",
                callback_id="create_community",
                private_metadata=channel,
                values={
                    "name": {"name_input": state_value(name)},
                    "domain": {"domain_input": state_value(None)},
                },
            )
        )
        return answer.json()["errors"]["name"]

    hosted = submitted("Rust Guild")
    assert hosted == "This channel already hosts Python Guild: start yours in another channel."
    assert submitted("  ", channel="CRANDOM") == (
        "Give the community a name, with at least one letter or digit."
    )
    assert "/cop" not in submitted("Rust Guild", channel="DALICE")
