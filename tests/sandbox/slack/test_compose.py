"""Typed text as the Slack client sends it: entities escaped, known names linked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sandbox.slack.compose import encode_typed, rich_text_elements

USERS = {"lena": "ULENA", "copbot": "UCOPBOT"}
CHANNELS = {"python-guild": "CPYTHONGUILD"}


def encode(text: str, *, command: bool = False) -> str:
    return encode_typed(text, users=USERS, channels=CHANNELS, command=command)


def test_known_people_and_channels_become_links() -> None:
    assert encode("thanks @lena, see #python-guild.") == (
        "thanks <@ULENA>, see <#CPYTHONGUILD|python-guild>."
    )
    assert encode("kudos @lena for it", command=True) == "kudos <@ULENA|lena> for it"


def test_unknown_names_and_tags_stay_text() -> None:
    assert encode("ask @nobody about #packaging") == "ask @nobody about #packaging"
    assert encode("mail lena@example.com") == "mail lena@example.com"


def test_markup_is_escaped_and_urls_are_linked() -> None:
    assert encode("<!channel> & <@U1> at https://x.test/a?b=1&c") == (
        "&lt;!channel&gt; &amp; &lt;@U1&gt; at <https://x.test/a?b=1&amp;c>"
    )


def test_broadcasts_typed_with_an_at_sign_become_slack_broadcasts() -> None:
    assert (
        encode("@here and @Channel, not @everyone!") == "<!here> and <!channel>, not <!everyone>!"
    )
    assert encode("@here", command=True) == "<!here>"


@given(st.text(max_size=200))
def test_nothing_typed_can_forge_a_link(text: str) -> None:
    encoded = encode(text.replace("@", "").replace("#", "").replace("http", ""))
    assert "<" not in encoded and ">" not in encoded


def test_the_composer_sends_rich_text_with_raw_characters_beside_the_text() -> None:
    text = encode("0 < 1 & @lena in #python-guild @here https://x.io/?a=1&b=2 :snake:")
    assert rich_text_elements(text) == [
        {"type": "text", "text": "0 < 1 & "},
        {"type": "user", "user_id": "ULENA"},
        {"type": "text", "text": " in "},
        {"type": "channel", "channel_id": "CPYTHONGUILD"},
        {"type": "text", "text": " "},
        {"type": "broadcast", "range": "here"},
        {"type": "text", "text": " "},
        {"type": "link", "url": "https://x.io/?a=1&b=2"},
        {"type": "text", "text": " :snake:"},
    ]
