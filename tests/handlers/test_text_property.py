"""Property: whatever people type, every door in and every way out shows exactly that.

Text is drawn from an alphabet of what mrkdwn and Slack markup treat specially, plus emoji,
people, channels, broadcasts and links typed the way people type them. Each door takes it the
way Slack delivers it (commands and messages escaped and linked, forms raw); each output is
read back with `seen`, a stand-in for Slack's own display written here, not copbot's, and
must show what Slack showed of the original. No output may hold a broadcast, or a mention or
link that was not in what was typed.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack_client import make_client
from sandbox.slack import (
    SlackStandIn,
    message_action_payload,
    state_value,
    view_submission_payload,
)
from scheduler.kinds import DIGEST, KUDOS
from storage import communities, db
from storage.clock import utcnow
from tests.harness import TEAM, Copbot, flatten_text

TOKEN = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
MARKS = re.compile(r"[*_~`]")
TYPED_PIECES = st.one_of(
    st.text(alphabet=st.sampled_from("ab <>&*_~\\`|:@#!🐍é"), min_size=1, max_size=6),
    st.sampled_from(["@bob", "#random", "@here", "@channel", "https://x.io/p?a=1&b=2", ":snake:"]),
)
TYPED = st.lists(TYPED_PIECES, min_size=1, max_size=6).map(" ".join)
COUNTER = itertools.count()


def seen(mrkdwn: str, standin: SlackStandIn) -> str:
    """What a person reads of mrkdwn or markup in Slack: tokens by name or label, entities."""

    def token(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            user = standin.user(target[1:]) or {}
            profile = user.get("profile") or {}
            return "@" + (profile.get("display_name") or user.get("real_name") or "someone")
        if target.startswith("#"):
            channel = standin.channels.get(target[1:])
            return "#" + (channel.name if channel else (label or "channel"))
        if target.startswith("!subteam^"):
            return label or "@group"
        if target.startswith("!"):
            return "@" + target[1:].split("|")[0]
        return label if label is not None else target

    text = TOKEN.sub(token, mrkdwn)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_seen_reads_mrkdwn_as_slack_shows_it(standin: SlackStandIn) -> None:
    assert seen("a &lt;b&gt; &amp; <@UBOB> <#CRANDOM> <!here> <https://x.io|docs>", standin) == (
        "a <b> & @Bob Builder #random @here docs"
    )


def same(text: str) -> str:
    """Compared as read: formatting marks and spacing aside (Slack shows *b* as bold b)."""
    return " ".join(MARKS.sub("", text).split())


def shows(original: str, output: str, standin: SlackStandIn) -> None:
    """`output` shows what Slack showed of `original` (markup as Slack delivered it)."""
    expected, got = same(seen(original, standin)), same(seen(output, standin))
    if expected in got:
        return
    # long text is cut where Slack's limits say, marked "…": what is shown must be its start
    cut = max((k for k in range(8, len(expected)) if expected[:k].rstrip() + "…" in got), default=0)
    assert cut, (expected, got)


def mrkdwn_of(payload: Any) -> str:
    """Every text Slack reads as mrkdwn (plain_text objects it shows as they are)."""
    if isinstance(payload, dict):
        if payload.get("type") == "plain_text":
            return ""
        return "\n".join(
            value if key == "text" and isinstance(value, str) else mrkdwn_of(value)
            for key, value in payload.items()
        )
    if isinstance(payload, list):
        return "\n".join(mrkdwn_of(item) for item in payload)
    return ""


def inert(payload: Any, *, mentions: tuple[str, ...] = (), links: tuple[str, ...] = ()) -> None:
    """No broadcast anywhere; only the given mentions, and links to Slack or typed URLs (a
    date copbot wrote, `<!date^…>`, is neither: each reader sees it in their timezone)."""
    for target, _ in TOKEN.findall(mrkdwn_of(payload)):
        if re.fullmatch(r"!date\^\d+\^(\{date_short_pretty\}|\{time\}| at )+", target):
            continue
        assert not target.startswith("!"), target
        if target.startswith("@"):
            assert target[1:] in mentions, target
        elif not target.startswith("#"):
            assert target.startswith(("https://test.slack.com/", *links)), target


@pytest.fixture
def guild(copbot: Copbot) -> Copbot:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop join", user="UBOB")
    copbot.cop("/cop settings kudos-quota 100")  # every example gives kudos
    return copbot


def marked(typed: str) -> tuple[str, str]:
    """A unique searchable word, then what was typed."""
    word = f"zq{next(COUNTER)}x"
    return word, f"{word} {typed}"


def community_id() -> int:
    with db.session() as session:
        found = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
        assert found is not None and found.id is not None
        return found.id


def outputs_of_knowledge(copbot: Copbot, word: str) -> Iterator[tuple[str, Any]]:
    """Where a snippet shows: search, the digest, the author's App Home, exports."""
    found = copbot.cop(f"/cop search {word}")
    yield "search", found.responses[-1]
    yield "digest", copbot.cop("/cop digest").responses[-1]
    copbot.event({"type": "app_home_opened", "user": "UBOB", "channel": "DBOB", "tab": "home"})
    yield "home", copbot.standin.home_views["UBOB"]
    for fmt in ("md", "csv"):
        copbot.cop(f"/cop export {fmt}")
        upload = [f for f in copbot.standin.files.values() if f["name"].endswith(f".{fmt}")][-1]
        content = upload["content"].decode()
        if fmt == "csv":  # each cell as a spreadsheet shows it, the guarding quote aside
            rows = list(csv.reader(io.StringIO(content)))
            content = "\n".join(cell.removeprefix("'") for row in rows for cell in row)
        else:  # Markdown as a reader sees it: [label](url) shows its label
            content = re.sub(r"\[((?:[^\]\\]|\\.)*)\]\([^)]*\)", r"\1", content)
            content = re.sub(r"\\(.)", r"\1", content)  # backslash escapes show their char
        yield fmt, {"text": content.replace("&", "&amp;").replace("<", "&lt;")}


Door = Callable[[Copbot, str], tuple[str, tuple[str, ...]]]


def by_message_and_reaction(copbot: Copbot, text: str) -> tuple[str, tuple[str, ...]]:
    ts = copbot.say(text, user="UBOB")
    copbot.react(ts, user="UALICE")
    return str(copbot.standin.message("CPYTHON", ts)["text"]), ()


def by_share_command(copbot: Copbot, text: str) -> tuple[str, tuple[str, ...]]:
    copbot.cop(f"/cop share {text}", user="UBOB")
    post = copbot.standin.last_message("CPYTHON")
    wire = copbot.standin.typed(text, command=True)
    inert(post, mentions=("UBOB",), links=("https://x.io/",))
    assert post["text"].startswith(f"Knowledge shared: {text.split()[0]}")  # the title
    shows(wire, flatten_text(post["blocks"]), copbot.standin)
    return wire, ()


def by_share_form(copbot: Copbot, text: str) -> tuple[str, tuple[str, ...]]:
    copbot.interactive(
        view_submission_payload(
            user_id="UBOB",
            callback_id="share_knowledge",
            values={
                "community": {
                    "community_select": state_value(str(community_id()), element="static_select")
                },
                "text": {"text_input": state_value(text)},  # raw, as a modal sends it
            },
        )
    )
    post = copbot.standin.last_message("CPYTHON")
    inert(post, mentions=("UBOB",))
    raw = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    shows(raw, flatten_text(post["blocks"]), copbot.standin)
    return raw, ()


def by_message_shortcut(copbot: Copbot, text: str) -> tuple[str, tuple[str, ...]]:
    ts = copbot.say(text, user="UBOB", deliver=False)  # not in copbot's cache: Slack sends it
    message = copbot.standin.message("CPYTHON", ts)
    copbot.interactive(
        message_action_payload(
            user_id="UALICE",
            callback_id="save_knowledge",
            channel_id="CPYTHON",
            message=message,
            response_url=copbot.standin.new_response_url("CPYTHON"),
        )
    )
    view = copbot.standin.calls_to("views.open")[-1].args["view"]
    inert(view, links=("https://x.io/",))
    shows(message["text"], flatten_text(view["blocks"][0]), copbot.standin)
    copbot.interactive(
        view_submission_payload(
            user_id="UALICE",
            callback_id="save_knowledge",
            private_metadata=view["private_metadata"],
            values={"title": {"title_input": state_value("")}},
        )
    )
    return str(message["text"]), ()


DOORS: dict[str, Door] = {
    "message and reaction": by_message_and_reaction,
    "/cop share": by_share_command,
    "Share form": by_share_form,
    "message shortcut": by_message_shortcut,
}
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.slow
@pytest.mark.parametrize("door", list(DOORS), ids=str)
@PROPERTY
@given(typed=TYPED)
def test_knowledge_shows_as_typed_wherever_it_goes(guild: Copbot, door: str, typed: str) -> None:
    word, text = marked(typed)
    original, _ = DOORS[door](guild, text)
    for where, output in outputs_of_knowledge(guild, word):
        inert(output, links=("https://x.io/", "https://test.slack.com/"))
        if where == "digest" and "quiet week" in flatten_text(output):
            continue
        if where in ("home", "digest"):  # titles: the first line, cut at a word
            assert same(seen(original, guild.standin))[:40].split(" ")[0] in same(
                seen(flatten_text(output), guild.standin)
            ), where
            continue
        shows(original, flatten_text(output), guild.standin)


@pytest.mark.slow
@PROPERTY
@given(typed=TYPED)
def test_a_kudos_reason_shows_as_typed(copbot: Copbot, typed: str) -> None:
    guild, channel = copbot, f"CK{next(COUNTER)}"  # a community a week, so the summary has room
    guild.standin.add_channel(channel, channel.lower(), members=["UALICE", "UBOB", "UCOPBOT"])
    guild.cop(f"/cop create Kudos {channel}", channel=channel)
    word, text = marked(typed)
    guild.cop(f"/cop kudos @bob for {text}", channel=channel)
    wire = guild.standin.typed(f"for {text}", command=True)
    post = guild.standin.last_message(channel)
    assert word in post["text"], "the kudos were not given"
    mentioned = tuple(u for u in ("UALICE", "UBOB") if f"<@{u}>" in post["text"])
    inert(post, mentions=mentioned, links=("https://x.io/",))
    shows(wire, post["text"], guild.standin)
    client = make_client(token=guild.standin.bot_token, base_url=guild.standin.api_url)
    with db.session() as session:
        community = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id=channel
        )
        assert community is not None
        summary = KUDOS.draft_for(client, session, community=community, now=utcnow())
        digest = DIGEST.draft_for(client, session, community=community, now=utcnow())
    for draft in (summary, digest):
        assert draft.message is not None
        inert(draft.message.as_kwargs(), links=("https://x.io/", "https://test.slack.com/"))
    shows(wire.removeprefix("for "), flatten_text(summary.message.blocks), guild.standin)


@pytest.mark.slow
@PROPERTY
@given(typed=TYPED)
def test_a_prompt_shows_as_typed(guild: Copbot, typed: str) -> None:
    word, text = marked(typed)
    guild.cop(f"/cop prompt add Q {text}")
    wire = guild.standin.typed(f"Q {text}", command=True)
    listed = guild.cop("/cop prompt list").responses[-1]
    inert(listed, links=("https://x.io/",))
    shows(wire, flatten_text(listed), guild.standin)
    guild.cop("/cop prompt now")
    post = guild.standin.last_message("CPYTHON")
    assert word in post["text"]
    inert(post, links=("https://x.io/",))
    shows(wire, flatten_text(post["blocks"]), guild.standin)


@pytest.mark.slow
@PROPERTY
# (" | ", " - " and dashes separate the name from the domain in /cop create)
@given(typed=st.text(alphabet=st.sampled_from("ab <>&*_~:!🐍é"), min_size=1, max_size=20))
def test_a_community_name_shows_as_typed(copbot: Copbot, typed: str) -> None:
    channel = f"CG{next(COUNTER)}"
    copbot.standin.add_channel(channel, channel.lower(), members=["UALICE", "UBOB", "UCOPBOT"])
    name = f"G{next(COUNTER)} {typed}"
    created = copbot.cop(f"/cop create {name}", channel=channel)
    if not any(ch.isalnum() for ch in name):
        return
    assert "is now a community" in copbot.standin.last_message(channel)["text"], created.text
    wire = copbot.standin.typed(name, command=True)
    announcement = copbot.standin.last_message(channel)
    inert(announcement, mentions=("UALICE",))
    shows(wire, flatten_text(announcement["blocks"]), copbot.standin)
    info = copbot.cop("/cop info", channel=channel).responses[-1]
    inert(info, mentions=("UALICE",))
    assert same(seen(wire, copbot.standin)) == same(info["blocks"][0]["text"]["text"])
    copbot.standin.set_members(channel, ["UALICE", "UBOB", "UCOPBOT", "UCAROL"])
    copbot.event({"type": "member_joined_channel", "user": "UCAROL", "channel": channel})
    welcome = copbot.standin.ephemerals[-1]
    inert(welcome)
    shows(wire, flatten_text(welcome["blocks"]), copbot.standin)
