"""Issue 13, findings 2 and 3: private stays private by Slack's own facts.

Who may see a private channel's knowledge is who Slack says is in the channel; copbot's own
roles (facilitator, member) never widen it.
"""

from __future__ import annotations

import json

from sqlalchemy import update

from sandbox.slack import message_action_payload, state_value, view_submission_payload
from storage import communities, db
from storage.models import CommunityChannel
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import TEAM, Copbot, flatten_text


def _join(copbot: Copbot, user: str, channel: str = "CSECRET") -> None:
    copbot.standin.set_members(channel, [*copbot.standin.channel_members(channel), user])
    copbot.event({"type": "member_joined_channel", "user": user, "channel": channel})


def _leave(copbot: Copbot, user: str, channel: str = "CSECRET") -> None:
    members = [m for m in copbot.standin.channel_members(channel) if m != user]
    copbot.standin.set_members(channel, members)
    copbot.event({"type": "member_left_channel", "user": user, "channel": channel})


def test_a_facilitator_from_outside_a_private_channel_cannot_search_it(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.cop("/cop share The vault code rotates monthly", channel="CSECRET")
    assert "vault code" in copbot.cop("/cop search vault", channel="CRANDOM")  # Alice is in it
    copbot.cop("/cop facilitator add @bob", channel="CSECRET")
    assert "vault code" not in copbot.cop("/cop search vault", user="UBOB", channel="CRANDOM")
    assert "vault code" not in copbot.cop("/cop experts vault", user="UBOB", channel="CRANDOM")
    _join(copbot, "UBOB")
    assert "vault code" in copbot.cop("/cop search vault", user="UBOB", channel="CRANDOM")
    _leave(copbot, "UBOB")
    assert "vault code" not in copbot.cop("/cop search vault", user="UBOB", channel="CRANDOM")
    copbot.cop("/cop facilitator remove @bob", channel="CSECRET")
    assert "vault code" not in copbot.cop("/cop search vault", user="UBOB", channel="CRANDOM")


def test_slacks_membership_is_read_when_copbot_has_not_seen_it(copbot: Copbot) -> None:
    """Carol was added to the channel while copbot missed the event: Slack still says so."""
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.cop("/cop share The vault code rotates monthly", channel="CSECRET")
    assert "vault code" not in copbot.cop("/cop search vault", user="UCAROL", channel="CRANDOM")
    copbot.standin.set_members("CSECRET", ["UALICE", "UCOPBOT", "UCAROL"])
    with db.session() as session:  # an hour later, the roster is read again
        session.execute(update(CommunityChannel).values(members_synced_at=None))
        session.commit()
    assert "vault code" in copbot.cop("/cop search vault", user="UCAROL", channel="CRANDOM")


def test_app_home_shows_a_facilitator_only_the_private_knowledge_of_their_channels(
    copbot: Copbot,
) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.cop("/cop settings confirmation on", channel="CSECRET")
    copbot.cop("/cop facilitator add @bob", channel="CSECRET")
    _join(copbot, "UCAROL")
    copbot.cop("/cop share The vault code rotates monthly", user="UCAROL", channel="CSECRET")
    copbot.event({"type": "app_home_opened", "user": "UBOB", "channel": "DBOB", "tab": "home"})
    home = flatten_text(copbot.standin.home_views["UBOB"])
    assert "vault code" not in home and "Waiting for your confirmation" not in home
    copbot.event({"type": "app_home_opened", "user": "UALICE", "channel": "DALICE", "tab": "home"})
    assert "vault code" in flatten_text(copbot.standin.home_views["UALICE"])


def _save(copbot: Copbot, channel: str, ts: str, user: str = "UALICE") -> dict:
    """The "Save to knowledge" shortcut on a message; returns the modal copbot opened."""
    message = copbot.standin.message(channel, ts)
    copbot.interactive(
        message_action_payload(
            user_id=user,
            callback_id="save_knowledge",
            channel_id=channel,
            message=message,
            response_url=copbot.standin.new_response_url(channel),
        )
    )
    return copbot.standin.calls_to("views.open")[-1].args["view"]


def test_saving_from_a_private_channel_is_decided_by_slacks_facts(copbot: Copbot) -> None:
    """Private channels made since 2021 have C ids: the id says nothing about privacy."""
    copbot.cop("/cop create Python Guild")  # Alice has a community to save to
    ts = copbot.say("The on-call rota is in the locked sheet", user="UALICE", channel="CSECRET")
    refused = flatten_text(_save(copbot, "CSECRET", ts)["blocks"])
    assert "private channel that isn't a community" in refused
    hidden = copbot.standin.add_message("CHIDDEN", "UALICE", "Salary bands for 2027")["ts"]
    assert "I can't see this channel" in flatten_text(_save(copbot, "CHIDDEN", hidden)["blocks"])
    assert copbot.cop("/cop search rota").text.count("on-call") == 0


def test_saving_from_a_direct_message_is_refused(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.standin.add_message("DALICE", "UALICE", "my doctor's appointment is at 3")["ts"]
    assert "direct message stays between" in flatten_text(_save(copbot, "DALICE", ts)["blocks"])


def test_saving_in_a_private_community_keeps_it_private(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    ts = copbot.say("The vault code rotates monthly", user="UALICE", channel="CSECRET")
    view = _save(copbot, "CSECRET", ts)
    copbot.interactive(
        view_submission_payload(
            user_id="UALICE",
            callback_id="save_knowledge",
            private_metadata=view["private_metadata"],
            values={"title": {"title_input": state_value("Vault")}},
        )
    )
    snippet = snippet_at(ts, channel="CSECRET")
    assert snippet is not None and snippet.is_private
    assert "vault code" not in copbot.cop("/cop search vault", user="UBOB", channel="CRANDOM")


def test_a_forged_save_form_carries_no_authority(copbot: Copbot) -> None:
    """Bob, who is not in #secret, edits the form's private_metadata to point at it."""
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.cop("/cop join", user="UBOB", channel="CPYTHON")
    ts = copbot.standin.add_message("CSECRET", "UALICE", "The vault code is 0451")["ts"]
    with db.session() as session:
        secret = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CSECRET"
        )
    assert secret is not None
    copbot.standin.clear_calls()
    sent = copbot.interactive(
        view_submission_payload(
            user_id="UBOB",
            callback_id="save_knowledge",
            private_metadata=json.dumps({"channel": "CSECRET", "ts": ts, "community": secret.id}),
            values={"title": {"title_input": state_value("mine now")}},
        )
    )
    assert sent.json()["response_action"] == "errors"
    assert snippet_at(ts, channel="CSECRET") is None
    leaked = [c for c in copbot.standin.calls if "0451" in json.dumps(c.args)]
    assert leaked == []
