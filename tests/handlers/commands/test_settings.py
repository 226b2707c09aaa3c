"""/cop settings: a form, or one setting by text, saying what changed; /cop pending."""

from __future__ import annotations

from typing import Any

from sandbox.slack import state_value, view_submission_payload
from storage import communities, db
from storage.models import Community
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import TEAM, Copbot, flatten_text


def _guild(copbot: Copbot) -> Community:
    copbot.cop("/cop create Python Guild")
    with db.session() as session:
        found = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
    assert found is not None
    return found


def test_settings_are_for_facilitators(copbot: Copbot) -> None:
    _guild(copbot)
    refused = copbot.cop("/cop settings reactions 3", user="UBOB")
    assert "Only facilitators of *Python Guild* can change settings" in refused
    assert "Only facilitators" in copbot.cop("/cop settings", user="UBOB")
    assert copbot.standin.calls_to("views.open") == []
    copbot.cop("/cop settings", user="UADMIN")  # admins are facilitators everywhere
    assert len(copbot.standin.calls_to("views.open")) == 1


def test_a_change_says_what_changed_and_the_hints_follow_the_values(copbot: Copbot) -> None:
    _guild(copbot)
    reply = copbot.cop("/cop settings reactions 3")
    assert ":white_check_mark: Saved. Reactions needed: 1 → 3." in reply
    assert "*Reactions needed:* 3  (`/cop settings reactions 1`)" in reply
    assert "*Facilitator confirmation:* off  (`/cop settings confirmation on`)" in reply
    reply = copbot.cop("/cop settings confirmation on")
    assert "Facilitator confirmation: off → on" in reply
    assert "(`/cop settings confirmation off`)" in reply and "confirmation on`" not in reply
    assert "Nothing changed: Facilitator confirmation is already that." in copbot.cop(
        "/cop settings confirmation yes"
    )
    assert "Knowledge emoji: :bulb: :books: → :brain: :bulb:" in copbot.cop(
        "/cop settings knowledge-emoji :brain: bulb"
    )
    ts = copbot.say("New emoji works")
    copbot.react(ts, emoji="brain")
    assert snippet_at(ts) is not None


def test_bad_settings_are_explained(copbot: Copbot) -> None:
    _guild(copbot)
    assert "whole number from 1 to 20" in copbot.cop("/cop settings reactions lots")
    assert "whole number from 1 to 20" in copbot.cop("/cop settings reactions 0")
    assert "`on` or `off`" in copbot.cop("/cop settings confirmation maybe")
    assert "isn't an emoji name" in copbot.cop("/cop settings knowledge-emoji <!channel>")
    assert "already gives kudos" in copbot.cop("/cop settings knowledge-emoji :raised_hands:")
    assert "no setting called `colour`" in copbot.cop("/cop settings colour blue")


def _values(**typed: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The form's state as Slack reports it, the defaults unless `typed` says otherwise."""
    fields = {
        "knowledge_emoji": ":bulb: :books:",
        "reactions": "1",
        "kudos_emoji": ":raised_hands:",
        "kudos_quota": "10",
        **{k: v for k, v in typed.items() if k not in ("confirmation", "questions")},
    }
    values = {
        block: {
            "value": state_value(
                text, element="number_input" if text.isdigit() else "plain_text_input"
            )
        }
        for block, text in fields.items()
    }
    for switch in ("confirmation", "questions"):  # checkboxes: on, or none ticked
        if switch in typed:
            on = ["on"] if typed[switch] == "on" else []
            values[switch] = {"value": state_value(on, element="checkboxes")}
    values.setdefault("confirmation", {"value": state_value([], element="checkboxes")})
    return values


def _submit(copbot: Copbot, community: Community, user: str = "UALICE", **typed: str) -> Any:
    return copbot.interactive(
        view_submission_payload(
            user_id=user,
            callback_id="settings_form",
            private_metadata=str(community.id),
            values=_values(**typed),
        )
    )


def test_the_settings_form_opens_filled_in_and_says_what_it_saved(copbot: Copbot) -> None:
    community = _guild(copbot)
    copbot.cop("/cop settings kudos-quota 5")
    copbot.cop("/cop settings")
    view = copbot.standin.calls_to("views.open")[-1].args["view"]
    assert view["callback_id"] == "settings_form" and view["private_metadata"] == str(community.id)
    initial = {
        b["block_id"]: b["element"].get("initial_value")
        for b in view["blocks"]
        if b["type"] == "input"
    }
    assert initial["kudos_quota"] == "5" and initial["knowledge_emoji"] == ":bulb: :books:"
    assert (
        _submit(copbot, community, reactions="2", confirmation="on", kudos_quota="5").status == 200
    )
    told = copbot.standin.ephemerals[-1]
    assert told["user"] == "UALICE"
    assert (
        "Settings of *Python Guild* saved. Reactions needed: 1 → 2; Facilitator confirmation: "
        "off → on." in told["text"]
    )
    assert "*Reactions needed:* 2" in copbot.cop("/cop settings reactions 2")  # nothing changes


def test_the_settings_form_shows_errors_in_words_under_each_field(copbot: Copbot) -> None:
    community = _guild(copbot)
    answer = _submit(
        copbot, community, knowledge_emoji="<!channel>", reactions="0", kudos_emoji=":bulb:"
    )
    errors = answer.json()["errors"]
    assert set(errors) == {"knowledge_emoji", "reactions"}
    assert errors["reactions"] == "Reactions needed must be a whole number from 1 to 20."
    assert all("/cop" not in e and "`" not in e for e in errors.values())
    clash = _submit(copbot, community, kudos_emoji=":books:").json()["errors"]
    assert clash == {"kudos_emoji": ":books: also saves knowledge: one emoji can't do both."}
    forged = _submit(copbot, community, user="UBOB", reactions="9")  # not a facilitator
    assert forged.status == 200
    assert "*Reactions needed:* 1" in flatten_text(
        copbot.cop("/cop settings reactions 1").responses
    )


def test_the_form_turns_questions_off_and_an_older_form_leaves_them_on(copbot: Copbot) -> None:
    community = _guild(copbot)
    copbot.cop("/cop settings")
    view = copbot.standin.calls_to("views.open")[-1].args["view"]
    [questions] = [b for b in view["blocks"] if b.get("block_id") == "questions"]
    assert questions["element"]["initial_options"][0]["value"] == "on"
    _submit(copbot, community, kudos_quota="9")  # a form from before the field: stays on
    assert "Questions followed" not in copbot.standin.ephemerals[-1]["text"]
    _submit(copbot, community, kudos_quota="9", questions="off")
    assert "Questions followed: on → off" in copbot.standin.ephemerals[-1]["text"]
