"""Pure text helpers: hashtags, titles, mentions, readable text, escaping and truncation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.mrkdwn import escape, truncate
from bot.text import compose_thread, hashtags, normalise_tags, title_from, user_mentions


def test_hashtags_ignore_channel_links_and_entities() -> None:
    text = "Use #pytest and #Hypothesis, see <#C123|general> &#39; #pytest #a-b #_x #9lives"
    assert hashtags(text) == ["pytest", "hypothesis", "a-b", "9lives"]


def test_tags_typed_in_a_form_are_cleaned() -> None:
    assert normalise_tags("#Py-Test, docs  docs\x00 #") == ["py-test", "docs"]
    assert len(normalise_tags(" ".join(f"t{i}" for i in range(50)))) == 10


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


def test_threads_are_composed_root_first() -> None:
    assert compose_thread("Q?", [("bob", "A1"), ("al", " ")]) == "Q?\n\n— bob: A1"
    # a replier's name is raw; the thread is markup
    assert compose_thread("Q?", [("Bo & <Co>", "A &amp; B")]).endswith(
        "— Bo &amp; &lt;Co&gt;: A &amp; B"
    )


@given(st.text())
def test_escaped_text_never_contains_markup(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped


@given(st.text(), st.integers(min_value=5, max_value=500))
def test_truncate_respects_the_limit(text: str, limit: int) -> None:
    cut = truncate(escape(text), limit, more=" <x|y>")
    assert len(cut) <= limit
    if len(escape(text)) > limit:
        assert "…" in cut


def test_counted_says_one_in_the_singular() -> None:
    from bot.text import counted

    assert counted(1, "result") == "1 result"
    assert counted(0, "result") == "0 results"
    assert counted(2, "active person", "active people") == "2 active people"
