"""/cop create, info, join and leave, end to end over HTTP."""

from __future__ import annotations

from storage import communities, db
from tests.harness import TEAM, Copbot


def _community(channel: str = "CPYTHON"):
    with db.session() as session:
        return communities.community_for_channel(session=session, team_id=TEAM, channel_id=channel)


def test_create_then_info(copbot: Copbot) -> None:
    reply = copbot.cop("/cop create Python Guild — everything about writing good Python")
    assert reply.status == 200
    announcement = copbot.standin.last_message("CPYTHON")
    assert "Python Guild" in announcement["text"]
    assert "<@UALICE>" in str(announcement["blocks"])

    info = copbot.cop("/cop info", user="UBOB")
    assert "Python Guild" in info
    assert "everything about writing good Python" in info
    assert "<@UALICE>" in info  # the creator is facilitator
    # Alice and Bob are in the channel; copbot and the CI bot are not members
    assert "*Members:* 2" in info
    assert "*Schedule* (UTC)" in info and "Discussion prompt: Mondays at 10:00, next Mon " in info
    assert info.responses[0]["response_type"] == "ephemeral"


def test_create_accepts_other_separators_and_trims(copbot: Copbot) -> None:
    copbot.cop("/cop create   Data   Folks  --  dashboards and SQL  ")
    community = _community()
    assert community is not None
    assert (community.name, community.domain) == ("Data Folks", "dashboards and SQL")


def test_create_refuses_in_a_dm(copbot: Copbot) -> None:
    reply = copbot.cop("/cop create Python Guild", channel="DALICE")
    assert "Communities live in channels" in reply
    assert _community("DALICE") is None


def test_create_refuses_a_second_community_in_the_same_channel(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    reply = copbot.cop("/cop create Another One", user="UBOB")
    # a refusal right after ack() must not undo the ack (Bolt would answer 404 after 3 s)
    assert reply.status == 200
    assert "This channel already hosts *Python Guild*" in reply


def test_create_refuses_a_taken_name(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    reply = copbot.cop("/cop create PYTHON guild", channel="CSECRET")
    assert "already a community called" in reply
    assert _community("CSECRET") is None


def test_create_validates_the_name(copbot: Copbot) -> None:
    assert "at least one letter or digit" in copbot.cop("/cop create ---- — things")
    assert "keep it under 80" in copbot.cop("/cop create " + "n" * 81)
    assert _community() is None


def test_create_in_a_private_channel_copbot_is_not_in_asks_for_an_invite(copbot: Copbot) -> None:
    reply = copbot.cop("/cop create Hidden Club", channel="CHIDDEN")
    assert "/invite @copbot" in reply
    assert _community("CHIDDEN") is None


def test_create_in_a_private_channel_is_marked_private(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    community = _community("CSECRET")
    assert community is not None
    with db.session() as session:
        [channel] = communities.channels_of(session=session, community_id=community.id)
    assert channel.is_private


def test_create_in_a_public_channel_joins_it_first(copbot: Copbot) -> None:
    copbot.cop("/cop create Random Thoughts", channel="CRANDOM")
    assert [c.args["channel"] for c in copbot.standin.calls_to("conversations.join")] == ["CRANDOM"]
    assert "Random Thoughts" in copbot.standin.last_message("CRANDOM")["text"]
    assert "*Members:* 3" in copbot.cop("/cop info", channel="CRANDOM")


def test_info_outside_a_community_says_what_to_do(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    reply = copbot.cop("/cop info", user="UBOB", channel="CRANDOM")
    assert "isn't a community yet" in reply
    assert "/cop create &lt;name&gt;" in reply  # mrkdwn: Slack shows <name>
    assert "Python Guild" in reply
    assert "Secret Society" not in reply  # Bob is not in the private channel


def test_info_in_a_dm_points_to_community_channels(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    reply = copbot.cop("/cop info", channel="DALICE")
    assert "not in a direct message" in reply
    assert "Secret Society" in reply  # Alice is a member, so she may see it


def test_info_with_no_communities_at_all(copbot: Copbot) -> None:
    assert "no communities yet" in copbot.cop("/cop info", channel="DALICE")


def test_join_and_leave(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "already a member" in copbot.cop("/cop join", user="UBOB")
    assert "You've left *Python Guild*" in copbot.cop("/cop leave", user="UBOB")
    assert "nothing to leave" in copbot.cop("/cop leave", user="UBOB")
    assert "*Members:* 1" in copbot.cop("/cop info")
    assert "Welcome to *Python Guild*" in copbot.cop("/cop join", user="UBOB")
    assert "*Members:* 2" in copbot.cop("/cop info")


def test_join_outside_a_community(copbot: Copbot) -> None:
    assert "isn't a community yet" in copbot.cop("/cop join", channel="CRANDOM")


def test_a_community_starts_in_its_creators_timezone_and_they_hear_what_next(
    copbot: Copbot,
) -> None:
    copbot.standin.add_user("UJORDAN", "jordan", real_name="Jordan Lee", tz="America/New_York")
    members = copbot.standin.channel_members("CPYTHON")
    copbot.standin.set_members("CPYTHON", [*members, "UJORDAN"])
    created = copbot.cop("/cop create Platform Guild", user="UJORDAN")
    assert "You facilitate this community now" in created
    assert "in America/New_York, your timezone in Slack" in created
    assert "*Schedule* (America/New_York)" in copbot.cop("/cop schedule show", user="UJORDAN")


def test_a_creator_whose_timezone_slack_does_not_know_gets_the_default(copbot: Copbot) -> None:
    copbot.standin.add_user("UMARS", "mars", real_name="Mars Rover", tz="Mars/Olympus_Mons")
    members = copbot.standin.channel_members("CPYTHON")
    copbot.standin.set_members("CPYTHON", [*members, "UMARS"])
    copbot.cop("/cop create Rover Club", user="UMARS")
    assert "*Schedule* (UTC)" in copbot.cop("/cop schedule show", user="UMARS")


def test_joining_by_command_gets_the_whole_welcome(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild — writing better Python")
    copbot.cop("/cop leave", user="UBOB")
    welcome = copbot.cop("/cop join", user="UBOB")
    assert "Welcome to *Python Guild*" in welcome and "writing better Python" in welcome
    assert "Facilitated by Alice Liddell" in welcome
    assert "already a member" in copbot.cop("/cop join", user="UBOB")
