"""Capturing knowledge with reactions, end to end over HTTP."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.engine import Engine

from sandbox.slack import block_actions_payload
from storage import communities, db
from tests.handlers.knowledge_helpers import snippet_at, tags_at
from tests.harness import TEAM, Copbot, buttons


def _guild(copbot: Copbot, **changes: object) -> None:
    copbot.cop("/cop create Python Guild — all things Python")
    members = copbot.standin.channel_members("CPYTHON")
    copbot.standin.set_members("CPYTHON", [*members, "UCAROL", "UADMIN"])
    if changes:
        with db.session() as session:
            community = communities.community_for_channel(
                session=session, team_id=TEAM, channel_id="CPYTHON"
            )
            assert community is not None
            for key, value in changes.items():
                setattr(community, key, value)
            session.add(community)
            session.commit()
    copbot.standin.clear_calls()


def test_a_bulb_captures_a_message_from_the_cache(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("Pin your dependencies with uv lock #tooling #packaging", user="UBOB")
    copbot.react(ts, user="UALICE")
    snippet = snippet_at(ts)
    assert snippet is not None
    assert (snippet.author_id, snippet.curator_id, snippet.status) == (
        "UBOB",
        "UALICE",
        "confirmed",
    )
    assert snippet.text == "Pin your dependencies with uv lock #tooling #packaging"
    assert snippet.permalink.startswith("https://")
    assert tags_at(ts) == ["packaging", "tooling"]
    assert copbot.standin.calls_to("conversations.history") == []  # the cache was enough
    [note] = copbot.standin.ephemerals
    assert note["user"] == "UALICE" and "Python Guild" in note["text"]
    assert copbot.standin.calls_to("chat.postMessage") == []  # nobody else is pinged


def test_a_message_not_in_the_cache_is_fetched_once(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("Use pathlib instead of os.path", deliver=False)
    copbot.react(ts)
    copbot.react(ts, user="UCAROL")
    [call] = copbot.standin.calls_to("conversations.history")
    assert call.args["latest"] == ts and str(call.args["limit"]) == "1"
    assert str(call.args["inclusive"]).lower() in ("1", "true")
    assert snippet_at(ts).text == "Use pathlib instead of os.path"


def test_more_reactions_are_endorsements_each_told_privately_once_with_an_undo(
    copbot: Copbot,
) -> None:
    _guild(copbot)
    ts = copbot.say("Prefer dataclasses for plain records")
    copbot.react(ts, user="UALICE")
    copbot.react(ts, user="UCAROL")
    copbot.react(ts, user="UCAROL", emoji="books")  # Carol again: still one person
    assert snippet_at(ts).endorsements == 2
    assert [e["user"] for e in copbot.standin.ephemerals] == ["UALICE", "UCAROL"]
    endorsed = copbot.standin.ephemerals[1]
    assert endorsed["text"] == (
        ":bulb: You endorsed “Prefer dataclasses for plain records”: 2 people have so far."
    )
    assert copbot.standin.calls_to("chat.postMessage") == []  # nobody is pinged
    [undo] = buttons(endorsed, "endorse_undo")
    copbot.interactive(
        block_actions_payload(
            user_id="UCAROL",
            action_id=undo["action_id"],
            value=undo["value"],
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON"),
        )
    )
    assert snippet_at(ts).endorsements == 1
    assert "Undone: your reaction no longer counts" in str(copbot.standin.responses[-1]["body"])
    copbot.interactive(  # Bob forges Carol's button: he can only take back his own
        block_actions_payload(
            user_id="UBOB",
            action_id=undo["action_id"],
            value=undo["value"],
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON"),
        )
    )
    assert snippet_at(ts).endorsements == 1 and snippet_at(ts).status == "confirmed"
    assert copbot.errors == []


def test_a_later_reactor_hears_what_pending_knowledge_still_needs(copbot: Copbot) -> None:
    _guild(copbot, reactions_required=3)
    ts = copbot.say("Always set a timeout on HTTP calls")
    copbot.react(ts, user="UALICE")
    copbot.react(ts, user="UCAROL")
    assert copbot.standin.ephemerals[-1]["text"].endswith(
        ": it counts once 1 more person reacts with :bulb:."
    )


def test_other_emoji_and_unknown_channels_do_nothing(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("lunch?")
    copbot.react(ts, emoji="pizza")
    other = copbot.say("a tip in random", channel="CRANDOM")
    copbot.react(other, channel="CRANDOM")
    assert snippet_at(ts) is None and snippet_at(other, "CRANDOM") is None
    assert copbot.errors == []


def test_bot_messages_and_joins_are_not_knowledge(copbot: Copbot) -> None:
    _guild(copbot)
    bot_post = copbot.standin.add_message("CPYTHON", "UOTHERBOT", "Build passed", bot_id="B1")
    join = copbot.standin.add_message("CPYTHON", "UCAROL", "joined", subtype="channel_join")
    copbot.react(bot_post["ts"], user="UCAROL")
    copbot.react(join["ts"], user="UALICE")
    assert snippet_at(bot_post["ts"]) is None and snippet_at(join["ts"]) is None
    # each reactor hears why, privately, instead of silence
    told = {e["user"]: e["text"] for e in copbot.standin.ephemerals}
    assert set(told) == {"UCAROL", "UALICE"}
    assert "Only messages people write become knowledge" in told["UCAROL"]
    assert "`/cop share`" in told["UCAROL"]


def test_a_reaction_on_copbots_digest_is_explained(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop digest post")
    digest = copbot.standin.messages("CPYTHON")[-1]
    assert digest.get("bot_id"), "copbot's own post"
    copbot.react(digest["ts"], user="UBOB")
    assert snippet_at(digest["ts"]) is None
    assert "not posts by copbot" in copbot.standin.ephemerals[-1]["text"]


def test_reacting_on_a_thread_root_captures_the_whole_thread(copbot: Copbot) -> None:
    _guild(copbot)
    root = copbot.say("How do you test async code?", user="UCAROL")
    copbot.say("pytest-asyncio and an event loop fixture #testing", user="UBOB", thread_ts=root)
    copbot.say("anyio's pytest plugin works too", user="UALICE", thread_ts=root)
    copbot.react(root)
    text = snippet_at(root).text
    assert text.startswith("How do you test async code?")
    assert "— Bob Builder: pytest-asyncio and an event loop fixture #testing" in text
    assert "— Alice Liddell: anyio's pytest plugin works too" in text
    assert tags_at(root) == ["testing"]


def test_a_thread_not_in_the_cache_is_fetched_with_replies(copbot: Copbot) -> None:
    _guild(copbot)
    root = copbot.say("Which linter?", user="UCAROL", deliver=False)
    copbot.say("ruff, and nothing else", user="UBOB", thread_ts=root, deliver=False)
    copbot.react(root)
    assert "— Bob Builder: ruff, and nothing else" in snippet_at(root).text
    assert len(copbot.standin.calls_to("conversations.replies")) == 1


def test_removing_the_last_reaction_withdraws_and_adding_it_back_restores(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("Use logging, not print")
    copbot.react(ts, user="UALICE")
    copbot.react(ts, user="UCAROL")
    copbot.react(ts, user="UALICE", removed=True)
    assert (snippet_at(ts).status, snippet_at(ts).endorsements) == ("confirmed", 1)
    copbot.react(ts, user="UCAROL", removed=True)
    assert (snippet_at(ts).status, snippet_at(ts).endorsements) == ("withdrawn", 0)
    assert "logging" not in copbot.cop("/cop search logging").text.split("matches")[0]
    copbot.react(ts, user="UCAROL")
    assert snippet_at(ts).status == "confirmed"


def test_a_threshold_keeps_knowledge_pending_until_enough_people_agree(copbot: Copbot) -> None:
    _guild(copbot, reactions_required=2)
    ts = copbot.say("Always set a timeout on HTTP calls")
    copbot.react(ts, user="UALICE")
    assert snippet_at(ts).status == "pending"
    assert "1 more person reacts" in copbot.standin.ephemerals[0]["text"]
    assert "Nothing in community knowledge matches" in copbot.cop("/cop search timeout")
    copbot.react(ts, user="UCAROL")
    assert snippet_at(ts).status == "confirmed"
    assert "Always set a timeout" in copbot.cop("/cop search timeout")


def test_required_confirmation_comes_from_a_facilitator_or_admin(copbot: Copbot) -> None:
    _guild(copbot, require_confirmation=True)
    ts = copbot.say("Squash merge feature branches")
    copbot.react(ts, user="UCAROL")
    assert snippet_at(ts).status == "pending"
    assert "facilitator confirms" in copbot.standin.ephemerals[0]["text"]
    copbot.react(ts, user="UADMIN")  # a workspace admin is a facilitator everywhere
    assert (snippet_at(ts).status, snippet_at(ts).confirmed_by) == ("confirmed", "UADMIN")


def test_a_redelivered_reaction_counts_once(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("Read the changelog before upgrading")
    copbot.react(ts, user="UCAROL", event_id="Ev0SAME")
    copbot.react(ts, user="UCAROL", event_id="Ev0SAME", retry_num=1)
    copbot.react(ts, user="UCAROL")  # the same reaction, a new event id: still one person
    assert snippet_at(ts).endorsements == 1
    assert len(copbot.standin.ephemerals) == 1
    copbot.react(ts, user="UADMIN")
    copbot.react(ts, user="UADMIN")  # Slack delivers Ada's again: she is told once
    assert [e["user"] for e in copbot.standin.ephemerals] == ["UCAROL", "UADMIN"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["UALICE", "UCAROL", "UADMIN"]),
            st.sampled_from(["bulb", "books"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_endorsements_always_equal_the_people_still_reacting(copbot: Copbot, steps) -> None:
    with db.session() as session:  # examples share one app and database
        exists = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
    if exists is None:
        _guild(copbot)
    ts = copbot.say("Cache expensive calls with functools.cache")
    present: set[tuple[str, str]] = set()
    for user, emoji, add in steps:
        copbot.react(ts, user=user, emoji=emoji, removed=not add)
        (present.add if add else present.discard)((user, emoji))
        if add:  # Slack re-sends some events: a duplicate must change nothing
            copbot.react(ts, user=user, emoji=emoji)
    snippet = snippet_at(ts)
    if snippet is None:
        assert not any(add for _, _, add in steps)
        return
    assert snippet.endorsements == len({user for user, _ in present})
    assert snippet.status == ("confirmed" if present else "withdrawn")


FORWARDED = (
    "&gt; Pin your deps &amp; commit the lock file #packaging\n"
    "— <@UCAROL>, <https://test.slack.com/archives/CRANDOM/p{ts}|original message>"
)


def test_a_bulb_on_a_forwarded_message_captures_what_it_shares(copbot: Copbot) -> None:
    _guild(copbot)
    original = copbot.say(
        "Pin your deps & commit the lock file #packaging",
        user="UCAROL",
        channel="CRANDOM",
        deliver=False,
    )
    ts = copbot.forward(original, user="UBOB", channel="CRANDOM", to="CPYTHON")
    assert copbot.standin.message("CPYTHON", ts)["text"] == ""  # as Slack sends a forward
    copbot.react(ts, user="UALICE")
    snippet = snippet_at(ts)
    assert snippet is not None and snippet.author_id == "UBOB"
    assert snippet.text == FORWARDED.format(ts=original.replace(".", ""))
    assert snippet.title == "Pin your deps &amp; commit the lock file #packaging"
    assert tags_at(ts) == ["packaging"]
    [note] = copbot.standin.ephemerals  # the person who reacted hears back
    assert note["user"] == "UALICE" and "Python Guild" in note["text"]
    assert "Carol Danvers" in copbot.cop("/cop search lock file")


def test_a_forward_with_a_comment_not_in_the_cache_is_read_from_history(copbot: Copbot) -> None:
    _guild(copbot)
    original = copbot.say("Use uv for speed", user="UCAROL", channel="CRANDOM", deliver=False)
    ts = copbot.forward(
        original,
        user="UBOB",
        channel="CRANDOM",
        to="CPYTHON",
        comment="@alice see this",
        deliver=False,
    )
    copbot.react(ts, user="UALICE")
    assert len(copbot.standin.calls_to("conversations.history")) == 1
    text = snippet_at(ts).text
    assert text.startswith("<@UALICE> see this\n\n&gt; Use uv for speed\n— <@UCAROL>, ")
    assert snippet_at(ts).title == "@Alice Liddell see this"


def test_an_endorsement_reads_as_much_for_the_twelfth_endorser_as_for_the_second(
    copbot: Copbot, engine: Engine
) -> None:
    """Who among the endorsers facilitates is read once for them all, not once each."""
    _guild(copbot)
    people = [f"UPEER{i:02d}" for i in range(12)]
    for user in people:
        copbot.standin.add_user(user, user.lower())
    copbot.standin.set_members("CPYTHON", [*copbot.standin.channel_members("CPYTHON"), *people])
    ts = copbot.say("Use ruff for linting and formatting", user="UBOB")
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    counts = []
    for user in people:
        seen.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            copbot.react(ts, user=user)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts.append(len(seen))
    snippet = snippet_at(ts)
    assert snippet is not None and snippet.endorsements == 12
    assert counts[2] == counts[-1], counts
    assert len(copbot.standin.calls_to("users.info")) <= len(people)  # each profile once
