"""Reading a message's text as markup from `text`, rich_text `blocks` and shared `attachments`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.message_text import blocks_markup, message_markup
from sandbox.slack import composer_blocks, rich_section, rich_text, shared_message_attachment
from storage.markup import Token, escape, pieces, visible

LINK = {"type": "link", "url": "https://docs.pytest.org/en/stable/?a=1&b=2", "text": "pytest docs"}


def test_text_is_preferred_when_it_has_words() -> None:
    message = {"text": "Use &lt;T&gt; <@U1>", "blocks": [rich_text("something else")]}
    assert message_markup(message) == "Use &lt;T&gt; <@U1>"
    assert message_markup({"text": "  ", "blocks": [rich_text("from blocks")]}) == "from blocks"
    assert message_markup({}) == ""


def test_rich_text_elements_become_markup_and_raw_characters_are_escaped() -> None:
    block = rich_text(
        rich_section(
            "0 < n && a -> b, ",
            {"type": "user", "user_id": "ULENA"},
            " ",
            {"type": "channel", "channel_id": "CPYTHON"},
            " ",
            {"type": "usergroup", "usergroup_id": "S0DEVS"},
            " ",
            {"type": "broadcast", "range": "here"},
            " ",
            LINK,
            " ",
            {"type": "link", "url": "https://x.io"},
            " ",
            {"type": "emoji", "name": "snake", "unicode": "1f40d"},
            {"type": "emoji", "name": "+1", "unicode": "1f44d-1f3fd", "skin_tone": 4},
            " ",
            {
                "type": "date",
                "timestamp": 1700000000,
                "format": "{date_short}",
                "fallback": "Nov 14",
            },
        )
    )
    assert blocks_markup([block]) == (
        "0 &lt; n &amp;&amp; a -&gt; b, <@ULENA> <#CPYTHON> <!subteam^S0DEVS> <!here> "
        "<https://docs.pytest.org/en/stable/?a=1&amp;b=2|pytest docs> <https://x.io> "
        ":snake::+1::skin-tone-4: <!date^1700000000^{date_short}|Nov 14>"
    )


def test_styles_wrap_the_words_not_the_spaces() -> None:
    block = rich_text(
        rich_section(
            {"type": "text", "text": "Never ", "style": {"bold": True}},
            {"type": "text", "text": "mutate", "style": {"italic": True, "code": True}},
            " a default ",
            {"type": "text", "text": "argument", "style": {"strike": True, "underline": True}},
        )
    )
    assert blocks_markup([block]) == "*Never* _`mutate`_ a default ~argument~"


def test_lists_code_and_quotes_read_as_the_slack_client_writes_them() -> None:
    block = rich_text(
        "Checklist:\n",
        {
            "type": "rich_text_list",
            "style": "bullet",
            "indent": 0,
            "elements": [rich_section("pin versions"), rich_section("run ", LINK)],
        },
        {
            "type": "rich_text_list",
            "style": "bullet",
            "indent": 1,
            "elements": [rich_section("even dev tools")],
        },
        {
            "type": "rich_text_list",
            "style": "ordered",
            "indent": 0,
            "offset": 2,
            "elements": [rich_section("third"), rich_section("fourth")],
        },
        rich_section("if a < b:\n    *swap*()", kind="rich_text_preformatted"),
        rich_section("Readability counts.\nSpecial cases aren't special", kind="rich_text_quote"),
    )
    assert blocks_markup([block]).split("\n") == [
        "Checklist:",
        "• pin versions",
        "• run <https://docs.pytest.org/en/stable/?a=1&amp;b=2|pytest docs>",
        "    ◦ even dev tools",
        "3. third",
        "4. fourth",
        "```if a &lt; b:",
        "    *swap*()```",
        "&gt; Readability counts.",
        "&gt; Special cases aren't special",
    ]


def test_blocks_apps_post_show_their_text_and_nothing_else() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Deploy <prod>"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*done* in <#C1|ops>"}},
        {"type": "divider"},
        {"type": "image", "image_url": "https://x.io/a.png", "alt_text": "chart"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "by ci"}]},
    ]
    assert blocks_markup(blocks) == "Deploy &lt;prod&gt;\n*done* in <#C1|ops>\nby ci"


def _forwarded(original: dict, **extra: str) -> dict:
    attachment = shared_message_attachment(
        original,
        channel_id="CRANDOM",
        channel_name="random",
        author_name="lena",
        from_url="https://test.slack.com/archives/CRANDOM/p1700000000000100",
    )
    return {"type": "message", "user": "UBOB", "ts": "1700000100.000100", "text": "", **extra} | {
        "attachments": [attachment]
    }


ORIGINAL = {
    "type": "message",
    "user": "ULENA",
    "ts": "1700000000.000100",
    "text": "Pin your deps &amp; check <https://x.io|the lock file>\n#packaging",
    "blocks": composer_blocks("Pin your deps &amp; check <https://x.io|the lock file>\n#packaging"),
}
CREDIT = "— <@ULENA>, <https://test.slack.com/archives/CRANDOM/p1700000000000100|original message>"


def test_a_forwarded_message_keeps_what_was_shared_quoted_with_who_wrote_it() -> None:
    assert message_markup(_forwarded(ORIGINAL)) == (
        "&gt; Pin your deps &amp; check <https://x.io|the lock file>\n&gt; #packaging\n" + CREDIT
    )


def test_a_share_with_a_comment_keeps_the_comment_first() -> None:
    message = _forwarded(ORIGINAL, text="Worth a read <@UALICE>")
    assert message_markup(message).split("\n\n") == [
        "Worth a read <@UALICE>",
        "&gt; Pin your deps &amp; check <https://x.io|the lock file>\n&gt; #packaging\n" + CREDIT,
    ]


def test_a_share_without_text_is_read_from_its_message_blocks_then_its_fallback() -> None:
    message = _forwarded(ORIGINAL)
    attachment = message["attachments"][0]
    attachment["text"] = ""
    assert message_markup(message).startswith("&gt; Pin your deps &amp; check <https://x.io|the")
    attachment["message_blocks"] = []
    assert message_markup(message).startswith("&gt; [November 14th, 2023 10:13 PM] lena: Pin")
    # a shared message from someone with no id (an app, another org) is credited by name
    del attachment["author_id"], attachment["from_url"]
    attachment["author_name"] = "CI <bot>"
    assert message_markup(message).endswith("\n— CI &lt;bot&gt;")


def test_previews_repeat_the_text_and_count_only_for_a_message_without_words() -> None:
    unfurl = {
        "from_url": "https://x.io",
        "title": "x.io",
        "text": "A site about x",
        "service_name": "x.io",
    }
    assert message_markup({"text": "see <https://x.io>", "attachments": [unfurl]}) == (
        "see <https://x.io>"
    )
    legacy = {"pretext": "Build 41", "text": "", "fallback": "passed & green"}
    assert message_markup({"text": "", "attachments": [legacy]}) == "Build 41\npassed &amp; green"


def test_odd_shapes_show_no_words_rather_than_fail() -> None:
    assert message_markup({"text": None, "blocks": "x", "attachments": [None, 3]}) == ""
    assert blocks_markup([{"type": "rich_text", "elements": [{"type": "mystery"}]}]) == ""
    assert message_markup({"text": "", "attachments": [{"is_share": True}]}) == ""


TYPED = st.text(
    alphabet=st.sampled_from([*"ab <>&*_~`|:@#!\n", "🐍", "é"]), min_size=1, max_size=40
)


@given(TYPED)
def test_text_elements_hold_raw_characters_and_never_become_tokens(raw: str) -> None:
    markup = blocks_markup([rich_text(rich_section(raw))])
    assert not any(isinstance(piece, Token) for piece in pieces(markup))
    assert visible(markup) == raw.rstrip("\n")
    assert markup == escape(raw).rstrip("\n")


@given(TYPED)
def test_the_composer_blocks_of_a_message_say_what_its_text_says(raw: str) -> None:
    text = escape(raw).rstrip("\n")
    assert message_markup({"text": "", "blocks": composer_blocks(text)}) == text


# Slack's shapes with any values in them: what a damaged or unexpected payload could hold.
LEAF = st.none() | st.booleans() | st.integers() | st.text(max_size=6)


def _mostly(shape: st.SearchStrategy) -> st.SearchStrategy:
    """`shape` three times in four, else any value."""
    return st.integers(0, 3).flatmap(lambda draw: shape if draw else LEAF)


def _shaped(kinds: str, **fields: st.SearchStrategy) -> st.SearchStrategy:
    """A dict with a `type` from `kinds` (or an unknown one) and the given fields."""
    kind = st.sampled_from([*kinds.split(), "mystery"])
    return st.fixed_dictionaries({"type": kind, **fields})


INLINE = _shaped(
    "text link user channel usergroup broadcast emoji date color team",
    text=LEAF,
    url=LEAF,
    user_id=LEAF,
    name=LEAF,
    skin_tone=LEAF,
    range=LEAF,
    style=_mostly(st.dictionaries(st.sampled_from(["bold", "italic", "code", "strike"]), LEAF)),
)
RICH = _shaped(
    "rich_text_section rich_text_list rich_text_preformatted rich_text_quote",
    elements=_mostly(st.lists(INLINE | _shaped("rich_text_section", elements=st.lists(INLINE)))),
    indent=LEAF,
    offset=LEAF,
    style=LEAF,
)
TEXT_OBJECT = _shaped("mrkdwn plain_text", text=LEAF)
BLOCK = _shaped(
    "rich_text section context",
    elements=_mostly(st.lists(RICH | TEXT_OBJECT, min_size=1, max_size=4)),
    text=_mostly(TEXT_OBJECT),
    fields=_mostly(st.lists(TEXT_OBJECT, max_size=2)),
)
SHARED = st.fixed_dictionaries(
    {"message": _mostly(st.fixed_dictionaries({"blocks": _mostly(st.lists(BLOCK, max_size=2))}))}
)
ATTACHMENT = st.fixed_dictionaries(
    {key: LEAF for key in "is_share text fallback pretext author_id author_name from_url".split()}
    | {"message_blocks": _mostly(st.lists(SHARED, max_size=2))}
)
MESSAGE = st.fixed_dictionaries(
    {
        "text": LEAF,
        "blocks": _mostly(st.lists(BLOCK, min_size=1, max_size=3)),
        "attachments": _mostly(st.lists(ATTACHMENT, max_size=2)),
    }
)


@settings(max_examples=300)
@given(MESSAGE)
def test_any_values_in_slack_shapes_read_as_text_without_failing(message: dict) -> None:
    assert isinstance(message_markup(message), str)
