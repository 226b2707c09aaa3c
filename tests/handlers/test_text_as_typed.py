"""Issue 12's cases: what people typed reaches every output exactly as they typed it.

Commands and messages go out as Slack sends them (manifest.yml: should_escape), forms raw.
"""

from __future__ import annotations

import json

from bot.slack_client import make_client
from sandbox.slack import block_actions_payload, state_value, view_submission_payload
from scheduler.kinds import DIGEST, KUDOS
from storage import communities, db
from storage.clock import utcnow
from tests.harness import TEAM, Copbot, buttons, flatten_text

CODE = "Generics: def first(xs: list[T]) -> T, and 0 < len(xs) <= 10 && fast #typing"


def _guild(copbot: Copbot, **settings: object) -> int:
    copbot.cop("/cop create Python Guild")
    with db.session() as session:
        community = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
        assert community is not None and community.id is not None
        if settings:
            communities.update_settings(session=session, community=community, **settings)
        return community.id


def _digest(copbot: Copbot) -> str:
    return copbot.cop("/cop digest").text


def test_a_shared_snippet_shows_code_as_typed_everywhere(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop(f"/cop share {CODE}")
    post = copbot.standin.last_message("CPYTHON")
    body = flatten_text(post["blocks"])
    # escaped once for mrkdwn, which Slack shows as "-> T ... 0 < len(xs) <= 10 &&"
    assert "-&gt; T, and 0 &lt; len(xs) &lt;= 10 &amp;&amp; fast" in body
    assert "&amp;gt;" not in json.dumps(post) and "&amp;lt;" not in json.dumps(post)
    found = copbot.cop("/cop search generics")
    assert "-&gt; T, and 0 &lt; len(xs) &lt;= 10 &amp;&amp; fast" in found.text
    assert "&amp;gt;" not in found.text
    assert "0 &lt; len(xs)" in _digest(copbot) or "def first" in _digest(copbot)


def test_text_typed_into_the_share_form_keeps_what_is_between_angle_brackets(
    copbot: Copbot,
) -> None:
    community_id = _guild(copbot, require_confirmation=True)
    copbot.interactive(  # a modal's inputs arrive raw, exactly as typed
        view_submission_payload(
            user_id="UBOB",
            callback_id="share_knowledge",
            values={
                "community": {
                    "community_select": state_value(str(community_id), element="static_select")
                },
                "text": {"text_input": state_value("works when 0 < n and a -> b")},
                "title": {"title_input": state_value("Bounds <check>")},
            },
        )
    )
    pending = copbot.cop("/cop pending")
    assert "works when 0 &lt; n and a -&gt; b" in pending.text
    assert "Bounds &lt;check&gt;" in pending.text
    post = copbot.standin.last_message("CPYTHON")
    assert "waiting for a facilitator" in flatten_text(post["blocks"])
    assert "saved to" not in flatten_text(post["blocks"])
    [confirm] = [e["value"] for e in buttons(pending.responses[-1], "confirm_snippet")]
    copbot.interactive(
        block_actions_payload(
            user_id="UALICE",
            action_id="confirm_snippet",
            value=confirm,
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON"),
        )
    )
    assert "works when 0 &lt; n and a -&gt; b" in copbot.cop("/cop search works").text


def test_the_search_heading_shows_the_query_as_typed(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop share Use *bold* _it_ in mrkdwn", user="UBOB")
    by_person = copbot.cop("/cop search @bob")
    heading = by_person.responses[-1]["blocks"][0]["text"]
    assert heading == {
        "type": "plain_text",
        "text": "🔍 1 result for “@Bob Builder”",
        "emoji": True,
    }
    assert "<@UBOB" not in by_person.responses[-1]["text"]
    formatted = copbot.cop("/cop search *bold* _it_")
    assert formatted.responses[-1]["blocks"][0]["text"]["text"].endswith("for “*bold* _it_”")


def test_the_fallback_of_a_shared_post_never_wakes_the_channel(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop share <!channel> look at this @here")  # typed: the first is text
    post = copbot.standin.last_message("CPYTHON")
    assert post["text"].startswith("Knowledge shared: &lt;!channel&gt; look at this @here")
    assert "<!" not in json.dumps(post)


def test_a_kudos_reason_is_escaped_once_in_the_post_and_the_summary(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop kudos @bob for a -> b && c < d")
    post = copbot.standin.last_message("CPYTHON")
    assert post["text"].endswith("for a -&gt; b &amp;&amp; c &lt; d")
    client = make_client(token=copbot.standin.bot_token, base_url=copbot.standin.api_url)
    with db.session() as session:
        community = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
        assert community is not None
        draft = KUDOS.draft_for(client, session, community=community, now=utcnow())
        digest = DIGEST.draft_for(client, session, community=community, now=utcnow())
    assert draft.message is not None and digest.message is not None
    text = flatten_text(draft.message.blocks)
    assert "a -&gt; b &amp;&amp; c &lt; d" in text and "&amp;gt;" not in text


def test_share_with_only_tags_asks_for_the_words(copbot: Copbot) -> None:
    _guild(copbot)
    before = len(copbot.standin.messages("CPYTHON"))
    assert "Share what?" in copbot.cop("/cop share #onlytag #another")
    assert len(copbot.standin.messages("CPYTHON")) == before


def test_emoji_are_searched_as_typed_and_as_shortcodes(copbot: Copbot) -> None:
    _guild(copbot)
    ts = copbot.say("Our mascot is :snake: and we ship on Fridays :rocket:", user="UBOB")
    copbot.react(ts)
    assert "Our mascot" in copbot.cop("/cop search 🐍")
    assert "Our mascot" in copbot.cop("/cop search :snake:")
    assert "Our mascot" in copbot.cop("/cop search rocket")
