"""Issue 13, findings 2 and 3: private stays private by Slack's own facts.

Who may see a private channel's knowledge is who Slack says is in the channel; copbot's own
roles (facilitator, member) never widen it.
"""

from __future__ import annotations

from sqlalchemy import update

from storage import db
from storage.models import CommunityChannel
from tests.harness import Copbot, flatten_text


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
