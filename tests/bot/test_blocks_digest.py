"""Scheduled posts rendered from plain data: limits, escaping, names not mentions, quiet weeks."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.blocks.digest import render_digest, render_kudos_summary, render_prompt, trend_line
from storage.digest import DigestData, PromptThread, WeekCounts
from storage.kudos import KudosWeek
from storage.markup import escape
from storage.models import Community, Kudos, Snippet
from tests.harness import flatten_text

WHEN = datetime(2026, 11, 27, 16, tzinfo=UTC)
# Names are raw; what people wrote is markup (storage/markup.py): what they typed arrives
# escaped, and the broadcasts and mentions Slack made active must be neutralised on the way out.
RAW_NASTY = "<!channel> <@U9> <http://evil|x> & co"
NASTY = escape(RAW_NASTY) + " <!channel> <!here> <@U9>"
NAMES = {f"U{i}": f"person{i}" for i in range(600)} | {"UX": RAW_NASTY}


def community() -> Community:
    return Community(
        id=1,
        team_id="T1",
        name="Guild <!here>",  # copbot stores names without tokens; even one pings nobody
        name_key="g",
        created_by="U0",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def snippet(i: int) -> Snippet:
    return Snippet(
        id=i,
        team_id="T1",
        community_id=1,
        channel_id="C1",
        message_ts=f"1.{i}",
        permalink=f"https://t.slack.com/archives/C1/p{i}",
        author_id=f"U{i % 600}",
        curator_id="U0",
        title=f"Tip {i} " + NASTY,
        text="text " * 200,
        endorsements=i % 7,
        status="confirmed",
    )


def kudos(i: int, reason: str = "for the review") -> Kudos:
    return Kudos(
        id=i,
        team_id="T1",
        community_id=1,
        giver_id=f"U{i}",
        receiver_id="UX",
        reason=reason,
    )


def data(**changes: object) -> DigestData:
    values: dict[str, object] = dict(
        community=community(),
        start=WHEN,
        end=WHEN,
        new_snippets=0,
        top_snippets=[],
        tags={},
        prompt=None,
        first_time_contributors=[],
        new_members=[],
        kudos=KudosWeek([], [], [], [], []),
        this_week=WeekCounts(0, 0, 0),
        last_week=WeekCounts(0, 0, 0),
    )
    values.update(changes)
    return DigestData(**values)  # type: ignore[arg-type]


def mrkdwn_only(payload: object) -> object:
    """The payload without plain_text objects, which Slack never parses for mentions or links."""
    if isinstance(payload, dict):
        if payload.get("type") == "plain_text":
            return {}
        return {k: mrkdwn_only(v) for k, v in payload.items()}
    if isinstance(payload, list):
        return [mrkdwn_only(v) for v in payload]
    return payload


def assert_inert(payload: object) -> None:
    text = flatten_text(mrkdwn_only(payload))
    for raw in ("<!channel>", "<!here>", "<@U", "<http://evil"):
        assert raw not in text, raw


def test_a_quiet_week_gets_a_short_nudge() -> None:
    message = render_digest(data(), NAMES)
    assert "A quiet week" in message.text and len(message.blocks) == 1
    assert_inert(message.as_kwargs())


def test_a_week_with_500_snippets_stays_within_limits() -> None:
    snippets = [snippet(i) for i in range(500)]
    big = data(
        new_snippets=500,
        top_snippets=snippets[:5],
        tags={i: ["python", "<b>"] for i in range(5)},
        prompt=PromptThread(
            text="What " + NASTY,
            channel_id="C1",
            message_ts="1.1",
            reply_count=120,
            replies=[("UX", NASTY * 50, 3)] * 3,
            replies_captured=True,
        ),
        first_time_contributors=[f"U{i}" for i in range(300)],
        new_members=[f"U{i}" for i in range(300)],
        kudos=KudosWeek([kudos(i) for i in range(400)], [("UX", 400)], ["UX"], [], []),
        this_week=WeekCounts(500, 400, 320),
        last_week=WeekCounts(3, 400, 400),
    )
    message = render_digest(big, NAMES)
    assert len(message.blocks) <= 50
    for block in message.blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
    text = flatten_text(message.blocks)
    assert "…and 495 more" in text
    assert "290 more" in text  # long lists of people are cut
    assert "(120 replies)" in text and "Best answers" in text
    assert_inert(message.as_kwargs())


def test_the_trend_compares_with_last_week() -> None:
    line = trend_line(WeekCounts(5, 2, 7), WeekCounts(3, 2, 9))
    assert line == (
        "5 snippets :arrow_upper_right: from 3 · 2 kudos (same as last week) · "
        "7 active people :arrow_lower_right: from 9"
    )


def test_uncaptured_prompt_answers_are_offered_as_knowledge_candidates() -> None:
    thread = PromptThread("Q?", "C1", "1.1", 2, [("U1", "an answer", 0)], replies_captured=False)
    text = flatten_text(render_digest(data(prompt=thread), NAMES).blocks)
    assert "React with :bulb:" in text and "person1: an answer" in text


def test_the_kudos_summary_names_everyone_and_links_reasons() -> None:
    week = KudosWeek(
        kudos=[kudos(1), kudos(2, "https://t.slack.com/archives/C1/p9"), kudos(3, NASTY)],
        top_receivers=[("UX", 3)],
        first_time_receivers=["UX"],
        shared_knowledge=[("U1", 2)],
        curated_knowledge=[("U2", 1)],
    )
    message = render_kudos_summary(community_name="Guild", week=week, names=NAMES)
    text = flatten_text(message.blocks)
    assert "person1 →" in text and "<https://t.slack.com/archives/C1/p9|their message>" in text
    assert "Shared knowledge: person1 (2)" in text and "Curated knowledge: person2 (1)" in text
    assert_inert(text.replace("<https://t.slack.com/archives/C1/p9|their message>", ""))
    knowledge_only = render_kudos_summary(
        community_name="Guild", week=KudosWeek([], [], [], [("U1", 2)], []), names=NAMES
    )
    text = flatten_text(knowledge_only.blocks)
    assert "No one thanked anyone this week" in text and "Shared knowledge: person1 (2)" in text


def test_the_prompt_names_the_community_and_escapes() -> None:
    message = render_prompt(community_name="Guild", domain=NASTY, text="What " + NASTY)
    assert "This week's question for Guild" in flatten_text(message.blocks)
    assert_inert(message.as_kwargs())


def test_the_trend_counts_one_in_the_singular() -> None:
    line = trend_line(WeekCounts(1, 1, 1), WeekCounts(0, 1, 0))
    assert line == (
        "1 snippet :arrow_upper_right: from 0 · 1 kudos (same as last week) · "
        "1 active person :arrow_upper_right: from 0"
    )
