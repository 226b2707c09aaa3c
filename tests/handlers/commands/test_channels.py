"""/cop channel: a community in several channels (public and private, C… ids as Slack gives
them all), its home for weekly posts, and what happens when one of them goes."""

from __future__ import annotations

from sqlmodel import col, select

from storage import communities, db
from storage.models import Community, Member
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import TEAM, Copbot, flatten_text

RANDOM, SECRET = "#random", "#secret"  # typed; the command arrives as Slack links it


def _guild(copbot: Copbot) -> Community:
    copbot.cop("/cop create Python Guild")
    with db.session() as session:
        found = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
    assert found is not None
    return found


def _members(community: Community) -> set[str]:
    with db.session() as session:
        rows = session.exec(
            select(Member.user_id).where(
                Member.community_id == community.id, col(Member.left_at).is_(None)
            )
        )
        return set(rows)


def test_a_facilitator_adds_a_channel_and_everything_works_there(copbot: Copbot) -> None:
    guild = _guild(copbot)
    assert "Only facilitators" in copbot.cop(f"/cop channel add {RANDOM}", user="UBOB")
    reply = copbot.cop(f"/cop channel add {RANDOM}")
    assert "<#CRANDOM> is now one of the community's channels." in reply
    assert "• <#CPYTHON> (home: weekly posts go here)\n• <#CRANDOM>" in reply.text
    assert copbot.standin.calls_to("conversations.join")[-1].args["channel"] == "CRANDOM"
    assert "UCAROL" in _members(guild)  # the people of #random joined the guild
    ts = copbot.say("Use pathlib for paths", user="UCAROL", channel="CRANDOM")
    copbot.react(ts, user="UBOB", channel="CRANDOM")
    assert snippet_at(ts, "CRANDOM").community_id == guild.id
    assert "Use pathlib for paths" in copbot.cop("/cop search pathlib")
    assert "Python Guild: 3 members" in copbot.cop("/cop info", channel="CRANDOM")
    assert "already one of its channels" in copbot.cop(f"/cop channel add {RANDOM}")


def test_weekly_posts_go_to_the_home_channel(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop(f"/cop channel add {RANDOM}")
    assert "isn't one of" in copbot.cop("/cop channel home #hidden")
    reply = copbot.cop(f"/cop channel home {RANDOM}")
    assert "Weekly posts now go to <#CRANDOM>." in reply
    assert "• <#CRANDOM> (home: weekly posts go here)\n• <#CPYTHON>" in reply.text
    copbot.cop("/cop prompt now")
    assert "This week's question" in flatten_text(copbot.standin.last_message("CRANDOM"))


def test_a_private_channels_knowledge_stays_with_its_members(copbot: Copbot) -> None:
    _guild(copbot)
    reply = copbot.cop(f"/cop channel add {SECRET}")
    assert "private: its knowledge is seen only by its members" in reply
    ts = copbot.say("The launch moves to May", user="UALICE", channel="CSECRET")
    copbot.react(ts, user="UALICE", channel="CSECRET")
    assert snippet_at(ts, "CSECRET").is_private
    assert "The launch moves to May" in copbot.cop("/cop search launch")
    assert "The launch moves to May" not in copbot.cop("/cop search launch", user="UBOB")
    hidden = copbot.cop("/cop channel add #hidden")
    assert "copbot isn't in <#CHIDDEN>. Invite it there first" in hidden


def test_removing_channels_moves_the_home_and_keeps_the_last(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop(f"/cop channel add {RANDOM}")
    reply = copbot.cop("/cop channel remove #python", channel="CRANDOM")
    assert "<#CPYTHON> is no longer one of the community's channels." in reply
    assert "• <#CRANDOM> (home: weekly posts go here)" in reply.text
    assert "<#CPYTHON>" not in reply.text.split("lives in:")[1].split("Knowledge,")[0]
    last = copbot.cop(f"/cop channel remove {RANDOM}", channel="CRANDOM")
    assert "only channel: add another first" in last
    assert "isn't one of the community's channels" in copbot.cop(
        "/cop channel remove #python", channel="CRANDOM"
    )


def test_a_channel_of_another_community_is_not_taken(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    assert "<#CSECRET> already hosts *Secret Society*." in copbot.cop(f"/cop channel add {SECRET}")
    assert "Name a channel" in copbot.cop("/cop channel add random")
    assert "Name a channel" in copbot.cop("/cop channel move #random")


def test_losing_one_channel_is_not_a_pause_losing_the_last_is(copbot: Copbot) -> None:
    guild = _guild(copbot)
    copbot.cop(f"/cop channel add {RANDOM}")
    copbot.event({"type": "channel_archive", "channel": "CPYTHON", "user": "UBOB"})
    with db.session() as session:
        kept = communities.get_community(session=session, team_id=TEAM, community_id=guild.id)
        assert kept is not None and not kept.paused
        home = communities.home_channel(session=session, community_id=guild.id)
        assert home is not None and home.channel_id == "CRANDOM"
    told = [
        c.args["text"]
        for c in copbot.standin.calls_to("chat.postMessage")
        if c.args["channel"] == "UALICE"
    ]
    assert "no longer lives in <#CPYTHON>: it was archived. It carries on" in told[-1]
    copbot.event({"type": "channel_archive", "channel": "CRANDOM", "user": "UBOB"})
    with db.session() as session:
        paused = communities.get_community(session=session, team_id=TEAM, community_id=guild.id)
        assert paused is not None and paused.paused


def test_leaving_one_channel_of_two_keeps_the_membership(copbot: Copbot) -> None:
    guild = _guild(copbot)
    copbot.cop(f"/cop channel add {RANDOM}")
    assert "UBOB" in _members(guild)  # Bob is in #python and #random
    copbot.standin.set_members("CRANDOM", ["UALICE", "UCAROL", "UCOPBOT"])
    copbot.event({"type": "member_left_channel", "user": "UBOB", "channel": "CRANDOM"})
    assert "UBOB" in _members(guild)
    copbot.standin.set_members("CRANDOM", ["UALICE", "UCOPBOT"])
    copbot.event({"type": "member_left_channel", "user": "UCAROL", "channel": "CRANDOM"})
    assert "UCAROL" not in _members(guild)  # her only channel of the guild
