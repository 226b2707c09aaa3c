"""Escaping user text for mrkdwn, and cutting it to Slack's limits without breaking it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.mrkdwn import escape, truncate, when

LINK = " <https://test.slack.com/archives/C1/p1|more>"

# Message text as Slack sends it: &, < and > escaped, mentions and links as markup, and an
# entity someone typed literally ("&lt;") escaped once more.
_WORDS = ("Use", "pytest", "fixtures", "a", " ", "  ", "\n", "é", "🙂")
_ESCAPED = ("&amp;", "&lt;", "&gt;", "&amp;lt;", "<@U123>", "<#C1|python>")
slack_text = st.lists(
    st.sampled_from([*_WORDS, *_ESCAPED]),
    min_size=1,
    max_size=60,
).map("".join)

_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_TOKEN = re.compile(r"<[^<>]*>")


def _expected_cut(text: str, limit: int, more: str) -> str:
    """What truncate promises, from the escape sequences and tokens in `text`: cut at the room
    left for "…" and `more`, back off to keep an escape sequence, a mention or a link whole,
    drop trailing whitespace."""
    shown_more = more if len(more) + 1 <= limit else ""
    room = max(0, limit - 1 - len(shown_more))
    for whole in (*_ENTITY.finditer(text), *_TOKEN.finditer(text)):
        if whole.start() < room < whole.end():
            room = whole.start()
    return text[:room].rstrip() + "…" + shown_more


@given(st.text())
def test_escaped_text_never_contains_markup(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped


def test_escape_makes_markup_literal() -> None:
    assert escape("<!channel> & <@U123>") == "&lt;!channel&gt; &amp; &lt;@U123&gt;"


@given(st.text(), st.integers(min_value=5, max_value=500))
def test_truncate_respects_the_limit(text: str, limit: int) -> None:
    cut = truncate(escape(text), limit, more=" <x|y>")
    assert len(cut) <= limit
    if len(escape(text)) > limit:
        assert "…" in cut


@given(st.data(), slack_text, st.sampled_from(["", "<x|y>", LINK]))
def test_truncate_cuts_at_the_limit_and_keeps_escapes_whole(
    data: st.DataObject, text: str, more: str
) -> None:
    limit = data.draw(st.integers(min_value=1, max_value=len(text) + 2), label="limit")
    cut = truncate(text, limit, more=more)
    assert len(cut) <= limit
    if len(text) <= limit:
        assert cut == text
        return
    assert cut == _expected_cut(text, limit, more)
    kept = cut.removesuffix(more).removesuffix("…")
    assert not re.search(r"&[a-z]{0,3}$", kept), "half an escape sequence left behind"


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [
        ("Use pytest fixtures", 20, "Use pytest fixtures"),  # fits: untouched
        ("Use pytest fixtures", 12, "Use pytest…"),
        ("Use pytest fixtures", 5, "Use…"),  # the space before the cut goes
        ("abcdefgh", 4, "abc…"),
        ("Tom &amp; Jerry", 8, "Tom…"),  # not "Tom &am…"
        ("Tom &amp; Jerry", 10, "Tom &amp;…"),  # a whole escape sequence stays
        ("1 &lt; 2 is true", 7, "1 &lt;…"),
        ("a &lt; b &gt; c", 11, "a &lt; b…"),  # the last sequence is the one cut
        ("Tom &amp; Jerry and friends", 20, "Tom &amp; Jerry and…"),
        ("thanks <@U123> a lot", 12, "thanks…"),  # never half a mention
        ("see <https://x.io|the docs> now", 20, "see…"),  # nor half a link
    ],
)
def test_truncate_cuts_where_it_says(text: str, limit: int, cut: str) -> None:
    assert truncate(text, limit) == cut


def test_a_link_after_the_ellipsis_is_kept_when_it_fits() -> None:
    text = "x" * 40
    assert truncate(text, 20, more=" <u|more>") == "x" * 10 + "… <u|more>"
    assert truncate(text, 6, more="<u|m>") == "…<u|m>"  # exactly room for "…" and the link
    assert truncate(text, 8, more=" <u|more>") == "x" * 7 + "…"  # no room: the link goes


def test_a_moment_is_slacks_date_token_with_the_communitys_time_as_fallback() -> None:
    from datetime import UTC, datetime

    friday = datetime(2026, 12, 11, 16, tzinfo=UTC)
    assert when(friday, "Europe/Berlin") == (
        "<!date^1797004800^{date_short_pretty} at {time}|Fri 11 Dec 17:00 CET>"
    )
    assert when(friday, "UTC", "{date_num}").endswith("^{date_num}|Fri 11 Dec 16:00 UTC>")


def test_truncate_at_a_word_keeps_words_whole() -> None:
    long = "Tip: python -X importtime -c import ourapp prints how long every import takes"
    assert (
        truncate(long, 60, at_word=True)
        == "Tip: python -X importtime -c import ourapp prints how long…"
    )
    assert truncate("a" * 100, 60, at_word=True) == "a" * 59 + "…"  # one long word: cut
    assert truncate("short enough", 60, at_word=True) == "short enough"
