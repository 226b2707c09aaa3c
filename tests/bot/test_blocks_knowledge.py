"""Knowledge rendering, with plain data: limits, escaping, excerpts, empty pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.blocks.kit import Message
from bot.blocks.knowledge import (
    COLLAPSED_LENGTH,
    SNIPPET_SHOW,
    Hit,
    excerpt,
    more_value,
    page_heading,
    parse_more_value,
    render_mention_answer,
    render_search_results,
    render_shared,
    save_modal,
    share_modal,
)
from bot.text import title_from
from tests.harness import flatten_text

WHEN = datetime(2026, 11, 26, tzinfo=UTC)
RAW_PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@U", "<http")


def hit(text: str, title: str = "", **kw: object) -> Hit:
    values: dict[str, object] = dict(
        title=title,
        text=text,
        permalink="https://t.slack.com/archives/C1/p1",
        author_name="Bob",
        tags=["testing"],
        endorsements=2,
        channel_id="C1",
        created_at=WHEN,
    )
    values.update(kw)
    return Hit(**values)  # type: ignore[arg-type]


def no_raw_markup(payload: object) -> None:
    rendered = (
        flatten_text(payload)
        .replace("<#C1>", "")
        .replace("<https://t.slack.com/archives/C1/p1|", "")
    )
    for raw in RAW_PINGS:
        assert raw not in rendered, raw


def test_excerpts_centre_on_the_match_and_mark_cuts() -> None:
    text = "intro " * 100 + "the fixtures section explains scope " + "outro " * 100
    piece = excerpt(text, ["fixtures"])
    assert "fixtures section" in piece
    assert piece.startswith("…") and piece.endswith("…")
    assert len(piece) <= 290


def test_everything_user_written_is_escaped_even_literal_markup() -> None:
    nasty = "&lt;!channel&gt; <!here> <@U123> <http://evil|click> & <!everyone>"
    message = render_search_results(
        query="<!channel> evil",
        hits=[hit(nasty, title=nasty)],
        terms=["evil"],
        offset=0,
        has_more=False,
    )
    no_raw_markup(message.blocks)
    no_raw_markup(message.text)
    no_raw_markup(render_mention_answer(query="<!here>", hits=[hit(nasty)], terms=[]).as_kwargs())
    shared = render_shared(
        sharer_id="U1", text=nasty, title=nasty, tags=["x"], community_name="<!here>"
    )
    assert "<@U1>" in flatten_text(shared.blocks)  # the sharer is credited
    no_raw_markup(flatten_text(shared.blocks).replace("<@U1>", ""))


def test_a_page_of_five_stays_within_limits() -> None:
    hits = [hit("word " * 2000, title="t" * 500) for _ in range(5)]
    message = render_search_results(
        query="q" * 5000, hits=hits, terms=["word"], offset=0, has_more=True
    )
    assert len(message.blocks) <= 50
    for block in message.blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    assert message.blocks[-1]["type"] == "actions"
    assert len(message.blocks[-1]["elements"][0]["value"]) <= 2000
    assert len(message.text) <= 3000


def test_more_values_round_trip_and_survive_damage() -> None:
    assert parse_more_value(more_value("fixtures #testing", 5)) == ("fixtures #testing", 5)
    assert parse_more_value("not json") == ("", 0)
    assert parse_more_value('{"q": 1, "o": -3}') == ("", 0)  # a query that is not text


def test_empty_results_suggest_tags() -> None:
    message = render_search_results(
        query="nothing",
        hits=[],
        terms=["nothing"],
        offset=0,
        has_more=False,
        suggestions=["python"],
    )
    assert "`#python`" in flatten_text(message.blocks)


def _sections(message: Message) -> list[str]:
    return [b["text"]["text"] for b in message.blocks if b["type"] == "section"]


def test_long_shares_without_a_snippet_to_open_are_split_not_lost() -> None:
    text = "line of text\n" * 600
    shared = render_shared(sharer_id="U1", text=text, title="", tags=[], community_name="G")
    body = "".join(_sections(shared)).removeprefix(":bulb: ")
    assert body.replace("\n", "") == text.replace("\n", "")
    assert all(len(piece) <= 3000 for piece in _sections(shared))


def test_a_long_share_shows_its_start_and_a_show_more_button() -> None:
    text = "Tom &amp; Jerry &lt;3 " * 200  # as Slack escapes it
    shared = render_shared(
        sharer_id="U1", text=text, title="", tags=[], community_name="G", snippet_id=42
    )
    [start] = _sections(shared)
    assert start.startswith(":bulb: Tom &amp; Jerry &lt;3") and start.endswith("…")
    assert len(start) <= COLLAPSED_LENGTH + 10
    assert not re.search(r"&(?!amp;|lt;|gt;)", start)  # never an entity cut in two
    [button] = [e for b in shared.blocks if b["type"] == "actions" for e in b["elements"]]
    assert (button["text"]["text"], button["action_id"], button["value"]) == (
        "Show more",
        SNIPPET_SHOW,
        "42",
    )
    short = render_shared(
        sharer_id="U1", text="Short", title="", tags=[], community_name="G", snippet_id=42
    )
    assert not [b for b in short.blocks if b["type"] == "actions"]


def test_a_shared_post_shows_its_text_once() -> None:
    text = "Use pathlib for paths: it handles Windows drive letters, symlinks and home folders"
    derived = render_shared(
        sharer_id="U1", text=text, title=title_from(text), tags=[], community_name="G"
    )
    assert _sections(derived) == [f":bulb: {text}"]
    own = render_shared(sharer_id="U1", text=text, title="Paths", tags=[], community_name="G")
    assert _sections(own) == [":bulb: *Paths*", text]


def test_modals_stay_within_view_limits() -> None:
    communities = [(i, f"Community {i} " + "x" * 100) for i in range(150)]
    for view in (
        save_modal(
            metadata={"channel": "C1", "ts": "1.2"},
            title="t" * 500,
            tags=["a"],
            excerpt_text="<!channel> " * 100,
            communities=communities,
            fixed_community=None,
        ),
        share_modal(communities=communities),
    ):
        assert len(view["title"]["text"]) <= 24
        select = next(b for b in view["blocks"] if b.get("block_id") == "community")
        assert len(select["element"]["options"]) == 100
        assert all(len(o["text"]["text"]) <= 75 for o in select["element"]["options"])
        no_raw_markup(view["blocks"])


def test_one_page_of_results_says_how_many() -> None:
    one = render_search_results(
        query="cache", hits=[hit("cache me")], terms=["cache"], offset=0, has_more=False
    )
    assert "🔍 1 result for “cache”" in flatten_text(one.blocks)
    paged = render_search_results(
        query="cache",
        hits=[hit("cache me")] * 5,
        terms=["cache"],
        offset=5,
        has_more=True,
        total=1000,
        total_capped=True,
    )
    assert "🔍 Results 6–10 of 1,000+ for “cache”" in flatten_text(paged.blocks)
    buttons = [
        e["text"]["text"] for b in paged.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons == ["Previous", "Next"]


def test_a_page_heading_counts_what_it_shows() -> None:
    assert page_heading(0, 3, False, 3, False) == "3 results"
    assert page_heading(0, 1, False, 1, False) == "1 result"
    assert page_heading(0, 5, True, 23, False) == "Results 1–5 of 23"
    assert page_heading(5, 1, False, 6, False) == "Result 6 of 6"
    assert page_heading(5, 5, True, 9, False) == "Results 6–10 of 11"  # counted before a share
