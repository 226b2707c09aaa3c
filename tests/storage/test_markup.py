"""Slack markup, the one stored form of what people typed, and each way it goes out."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from storage.markup import (
    escape,
    from_typed,
    mentioned_users,
    normalise,
    to_markdown,
    to_mrkdwn,
    unescape,
    visible,
    with_names,
)

# A message as Slack sends it: typed characters escaped, tokens for what Slack made active.
SLACK = (
    "<!channel> ping <@U1> and <@U2|bo> in <#C9|python>: 0 &lt; n &amp;&amp; a -&gt; b, "
    "see <https://x.io/a?b=1&amp;c=2|the docs> or <https://y.io>, <!subteam^S1|@devs>, "
    "<!date^1392734382^{date}|Feb 18, 2014>, mail <mailto:a@b.io|a@b.io>"
)


def test_what_a_person_reads() -> None:
    assert visible(SLACK) == (
        "@channel ping @someone and @bo in #python: 0 < n && a -> b, "
        "see the docs or https://y.io, @devs, Feb 18, 2014, mail a@b.io"
    )


def test_people_are_named_by_with_names() -> None:
    named = with_names(SLACK, {"U1": "Lena Ng", "U2": "Bo & Co"})
    assert visible(named).startswith("@channel ping @Lena Ng and @Bo & Co in #python")
    assert mentioned_users(SLACK) == ["U1", "U2"]


def test_mrkdwn_pings_nobody_and_links_only_links() -> None:
    out = to_mrkdwn(with_names(SLACK, {"U1": "Lena"}))
    assert "<!" not in out and "<@" not in out
    assert out.startswith("@channel ping @Lena and @bo in <#C9>: 0 &lt; n &amp;&amp; a -&gt; b")
    assert "<https://x.io/a?b=1&amp;c=2|the docs>" in out and "<https://y.io|https://y.io>" in out
    assert "@devs" in out and "<mailto:a@b.io|a@b.io>" in out


def test_mentions_stay_when_copbot_posts_for_their_author() -> None:
    out = to_mrkdwn(SLACK, mentions=True)
    assert "<@U1>" in out and "<@U2>" in out and "<!channel>" not in out


def test_code_stays_code_in_markdown() -> None:
    typed = "Use `lru_cache(maxsize=None)` on *pure* <functions>:```x = 1\ny = 2``` or ```z```"
    assert to_markdown(from_typed(typed)) == (
        "Use `lru_cache(maxsize=None)` on \\*pure\\* \\<functions\\>:\n```\nx = 1\ny = 2\n```\n"
        " or ```z```"
    )


def test_markdown_export_reads_like_markdown() -> None:
    assert to_markdown(with_names(SLACK, {"U1": "Lena"})) == (
        "@channel ping @Lena and @bo in #python: 0 \\< n && a -\\> b, "
        "see [the docs](https://x.io/a?b=1&c=2) or [https://y.io](https://y.io), @devs, "
        "Feb 18, 2014, mail [a@b.io](mailto:a@b.io)"
    )


def test_raw_text_from_a_modal_becomes_markup_with_no_tokens() -> None:
    typed = "works when 0 < n and a -> b & <!channel> <@U1>"
    markup = from_typed(typed)
    assert visible(markup) == typed and mentioned_users(markup) == []
    assert to_mrkdwn(markup) == escape(typed)


def test_normalise_keeps_markup_and_escapes_what_markup_cannot_hold() -> None:
    assert normalise(SLACK) == SLACK
    assert normalise("works when 0 < n and a -> b & c") == (
        "works when 0 &lt; n and a -&gt; b &amp; c"
    )
    assert normalise("a <b> c <@U1> <https://x.io|x>") == "a &lt;b&gt; c <@U1> <https://x.io|x>"


MARKUP_PIECES = st.sampled_from(
    ["<@U1>", "<@U2|bo>", "<!here>", "<#C1|gen>", "<https://x.io|x>", "&amp;", "&lt;", "&gt;"]
)
TYPED = st.text(alphabet=st.sampled_from("ab <>&*_~`|:@#!\n🐍"), max_size=30)


@given(st.lists(st.one_of(TYPED.map(escape), MARKUP_PIECES), max_size=12).map("".join))
def test_every_output_of_any_markup_is_safe(markup: str) -> None:
    assert normalise(markup) == markup
    out = to_mrkdwn(markup)
    assert "<!" not in out and "<@" not in out
    # the only tokens left are the links and channels that were in it
    assert out.count("<") == markup.count("<https://") + markup.count("<#")
    seen = visible(markup)
    assert unescape(escape(seen)) == seen


@given(TYPED)
def test_typed_text_survives_every_door(typed: str) -> None:
    markup = from_typed(typed)
    assert visible(markup) == typed
    assert unescape(to_mrkdwn(markup)) == typed
    shown = re.sub(r"\\(.)", r"\1", to_markdown(markup))  # as a renderer shows it
    assert shown.replace("\n```\n", "```") == typed  # a code block's fences on their own lines
    assert normalise(markup) == markup
