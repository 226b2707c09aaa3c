"""Kudos by reaction: thanks to a message's author, undone with the reaction, counted once."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from bot.slack_client import make_client
from scheduler.jobs import draft_kudos_summary
from storage import communities, db
from storage.clock import utcnow
from storage.models import Kudos
from tests.harness import TEAM, Copbot, flatten_text


def _received() -> dict[str, int]:
    counts: dict[str, int] = {}
    with db.session() as session:
        for k in session.exec(select(Kudos)):
            counts[k.receiver_id] = counts.get(k.receiver_id, 0) + 1
    return counts


def _guild(copbot: Copbot) -> None:
    with db.session() as session:
        exists = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
    if exists is None:
        copbot.cop("/cop create Python Guild")
        members = copbot.standin.channel_members("CPYTHON")
        copbot.standin.set_members("CPYTHON", [*members, "UCAROL", "UADMIN"])
        copbot.standin.clear_calls()


def test_a_kudos_reaction_thanks_the_author_privately(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("Fixed the flaky test in <tests/io.py> & its fixture", user="UBOB")
    copbot.react(ts, user="UALICE", emoji="raised_hands")
    assert _received() == {"UBOB": 1}
    [note] = copbot.standin.ephemerals
    assert note["user"] == "UALICE" and "9 of 10 kudos left today" in note["text"]
    assert "You thanked Bob Builder for <https://" in note["text"]
    # nobody is pinged in the channel; Bob alone hears of it, once, in a DM
    [told] = copbot.standin.calls_to("chat.postMessage")
    assert told.args["channel"] == "UBOB"
    assert told.args["text"].startswith(":raised_hands: Alice Liddell gave you kudos in *Python")
    assert (
        "|your message>: “Fixed the flaky test in &lt;tests/io.py&gt; &amp; its…”"
        in (told.args["text"])
    )
    copbot.react(ts, user="UALICE", emoji="raised_hands")  # Slack delivers it again
    assert len(copbot.standin.calls_to("chat.postMessage")) == 1
    with db.session() as session:
        [row] = session.exec(select(Kudos)).all()
    assert row.reason.startswith("https://") and row.source == "reaction"


def test_someone_who_muted_copbot_is_not_told_of_kudos(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop mute", user="UBOB")
    ts = copbot.say("Fixed the flaky test", user="UBOB")
    copbot.react(ts, user="UALICE", emoji="raised_hands")
    assert _received() == {"UBOB": 1}
    assert copbot.standin.calls_to("chat.postMessage") == []


def test_skin_tones_count_as_the_base_emoji(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("thanks all", user="UBOB")
    copbot.react(ts, user="UALICE", emoji="raised_hands::skin-tone-4")
    assert _received() == {"UBOB": 1}


def test_removing_the_reaction_takes_the_kudos_back(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("Wrote the runbook", user="UBOB")
    copbot.react(ts, user="UALICE", emoji="raised_hands")
    copbot.react(ts, user="UALICE", emoji="raised_hands", removed=True)
    assert _received() == {}


def test_refusals_are_told_to_the_reactor_only(copbot: Copbot) -> None:
    _guild(copbot)
    own = copbot.say("my own message", user="UALICE")
    copbot.react(own, user="UALICE", emoji="raised_hands")
    bot_post = copbot.standin.add_message("CPYTHON", "UOTHERBOT", "deployed", bot_id="B1")
    copbot.react(bot_post["ts"], user="UALICE", emoji="raised_hands")
    assert _received() == {}
    notes = [e["text"] for e in copbot.standin.ephemerals]
    assert "thanking others" in notes[0] and "app" in notes[1]


def test_kudos_on_a_shared_post_go_to_the_sharer(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop share Use the staging checklist", user="UBOB")
    post = copbot.standin.last_message("CPYTHON")
    copbot.react(post["ts"], user="UALICE", emoji="raised_hands")
    assert _received() == {"UBOB": 1}


def test_the_quota_applies_to_reactions(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop settings kudos-quota 1")
    first, second = copbot.say("one", user="UBOB"), copbot.say("two", user="UBOB")
    copbot.react(first, user="UALICE", emoji="raised_hands")
    copbot.react(second, user="UALICE", emoji="raised_hands")
    assert _received() == {"UBOB": 1}
    assert "all 1 of today's kudos" in copbot.standin.ephemerals[-1]["text"]


def test_kudos_reactions_outside_communities_and_in_dms_do_nothing(copbot: Copbot) -> None:
    ts = copbot.say("random", user="UBOB", channel="CRANDOM")
    copbot.react(ts, user="UALICE", emoji="raised_hands", channel="CRANDOM")
    copbot.event(
        {
            "type": "reaction_added",
            "user": "UALICE",
            "reaction": "raised_hands",
            "item": {"type": "message", "channel": "DALICE", "ts": "1700000000.000001"},
            "item_user": "UBOB",
        }
    )
    assert _received() == {} and copbot.standin.ephemerals == []


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["UALICE", "UCAROL", "UADMIN"]), st.integers(0, 1), st.booleans()
        ),
        min_size=1,
        max_size=14,
    )
)
def test_kudos_always_equal_the_reactions_present(copbot: Copbot, steps) -> None:
    _guild(copbot)
    with db.session() as session:
        for row in session.exec(select(Kudos)).all():
            session.delete(row)
        session.commit()
    messages = [copbot.say("tip one", user="UBOB"), copbot.say("tip two", user="UBOB")]
    present: set[tuple[str, int]] = set()
    for giver, which, add in steps:
        copbot.react(messages[which], user=giver, emoji="raised_hands", removed=not add)
        if add:  # Slack re-sends some events with the same id: no second effect
            copbot.react(
                messages[which], user=giver, emoji="raised_hands", event_id=f"Ev{len(present)}x"
            )
            copbot.react(
                messages[which], user=giver, emoji="raised_hands", event_id=f"Ev{len(present)}x"
            )
        (present.add if add else present.discard)((giver, which))
    assert _received() == ({"UBOB": len(present)} if present else {})


def _kudos_summary(copbot: Copbot) -> str:
    """The weekly kudos summary as the scheduler would draft it now."""
    with db.session() as session:
        guild = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
        assert guild is not None
        client = make_client(token=copbot.standin.bot_token, base_url=copbot.standin.api_url)
        later = utcnow() + timedelta(minutes=1)
        draft = draft_kudos_summary(client, session, community=guild, now=later)
    assert draft.message is not None
    return flatten_text(draft.message.blocks)


def test_the_weekly_summary_quotes_the_first_words_of_a_message_thanked_by_reaction(
    copbot: Copbot,
) -> None:
    _guild(copbot)
    ts = copbot.say(
        "Use <pathlib> & friends for paths: it handles Windows drives, symlinks and more",
        user="UBOB",
    )
    copbot.react(ts, user="UALICE", emoji="raised_hands")
    summary = _kudos_summary(copbot)
    assert "→ Bob Builder: <https://" in summary
    # the words as read, once escaped for mrkdwn; cut after eight words
    assert "|“Use &lt;pathlib&gt; &amp; friends for paths: it handles…”>" in summary
    assert "their message" not in summary
