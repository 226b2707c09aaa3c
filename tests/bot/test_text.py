"""Pure text helpers: hashtags, titles, mentions and readable text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text import first_words, hashtags, normalise_tags, ordinal, title_from, user_mentions


def test_hashtags_ignore_channel_links_and_entities() -> None:
    text = "Use #pytest and #Hypothesis, see <#C123|general> &#39; #pytest #a-b #_x #9lives"
    assert hashtags(text) == ["pytest", "hypothesis", "a-b", "9lives"]


def test_tags_typed_in_a_form_are_cleaned() -> None:
    assert normalise_tags("#Py-Test, docs  docs\x00 #") == ["py-test", "docs"]
    assert len(normalise_tags(" ".join(f"t{i}" for i in range(50)))) == 10


def test_tags_keep_every_letter_and_lose_edge_dashes() -> None:
    assert normalise_tags("#XML, Xcode, --docs--, _py_, #-") == ["xml", "xcode", "docs", "py"]


def test_mentions_in_slack_escaped_form() -> None:
    assert user_mentions("thanks <@U123|bob> and <@W9> and <@U123>") == ["U123", "W9"]


def test_titles_are_first_lines_cut_at_a_word() -> None:
    assert title_from("\n\n*Fixtures* rock\nmore") == "Fixtures rock"
    # markup in, markup out: what was typed stays escaped, links become their label
    assert title_from("0 &lt; n &amp;&amp; <https://x.io|docs> -&gt; ok") == (
        "0 &lt; n &amp;&amp; docs -&gt; ok"
    )
    long = "word " * 40
    title = title_from(long)
    assert len(title) <= 80 and title.endswith("…")


def test_titles_keep_what_is_inside_code() -> None:
    typed = "An empty `__init__.py` is needed for `**kwargs` plugins, and *this* matters"
    assert (
        title_from(typed) == "An empty __init__.py is needed for **kwargs plugins, and this matters"
    )
    assert title_from("Grafana: use `$__rate_interval`") == "Grafana: use $__rate_interval"
    assert title_from("_half `open") == "half open"


def test_a_cut_title_does_not_end_in_a_full_stop_and_an_ellipsis() -> None:
    assert title_from("Roll back in seconds. Then look at the logs", limit=24) == (
        "Roll back in seconds…"
    )


def test_quoted_first_words_read_as_plain_text() -> None:
    typed = "Tip: `python -X importtime -c 'import app'` prints every *import* time"
    assert first_words(typed) == "Tip: python -X importtime -c 'import app' prints…"


def test_titles_skip_quote_markers_and_keep_every_letter() -> None:
    assert title_from("&gt; XML parsing, the X way\nmore") == "XML parsing, the X way"


def test_a_message_with_no_words_has_no_title() -> None:
    assert title_from("") == ""
    assert title_from("\n  \n*  *\n&gt; \n") == ""


@pytest.mark.parametrize(
    ("text", "limit", "title"),
    [
        ("alpha beta gamma", 16, "alpha beta gamma"),  # exactly the limit: whole
        ("alpha beta gamma", 14, "alpha beta…"),
        ("alpha beta gamma", 12, "alpha beta…"),
        ("alpha beta gamma", 11, "alpha beta…"),  # "beta" ends just before the cut: it stays
        ("one two three four five", 16, "one two three…"),
        ("fixtures a bcd", 10, "fixtures…"),
        ("supercalifragilistic rocks", 10, "supercali…"),  # one long word: cut inside it
        ("alpha beta gamma", 2, "a…"),
        ("alpha beta gamma", 1, "…"),
    ],
)
def test_titles_are_cut_at_the_last_word_that_fits(text: str, limit: int, title: str) -> None:
    assert title_from(text, limit=limit) == title


_words = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzXYZ", min_size=1, max_size=12),
    min_size=1,
    max_size=20,
).map(" ".join)


@given(st.data(), _words)
def test_a_title_never_exceeds_its_limit_and_ends_at_a_word(data: st.DataObject, line: str) -> None:
    limit = data.draw(st.integers(min_value=1, max_value=len(line) + 2), label="limit")
    title = title_from(line, limit=limit)
    assert len(title) <= limit
    if len(line) <= limit:
        assert title == line
        return
    kept = title.removesuffix("…")
    assert title.endswith("…") and line.startswith(kept)
    assert bool(kept) == (limit > 1)
    # whole words, unless the first word alone is too long
    assert line[len(kept)] == " " or (" " not in kept and len(kept) == limit - 1)


def test_counted_says_one_in_the_singular() -> None:
    from bot.text import counted

    assert counted(1, "result") == "1 result"
    assert counted(0, "result") == "0 results"
    assert counted(2, "active person", "active people") == "2 active people"


@pytest.mark.parametrize(
    ("number", "said"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th")],
)  # fmt: skip
def test_ordinals(number: int, said: str) -> None:
    assert ordinal(number) == said
