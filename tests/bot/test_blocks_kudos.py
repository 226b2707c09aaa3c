"""Kudos rendering with plain data."""

from __future__ import annotations

from bot.blocks.kudos import (
    kudos_note,
    over_quota,
    ranks,
    render_kudos_post,
    render_leaderboards,
)
from tests.harness import flatten_text


def test_the_public_thanks_mentions_receivers_and_keeps_the_reason_as_typed() -> None:
    # the reason is markup: "<!here> & more" typed arrives escaped, a real @here as a token
    post = render_kudos_post(
        giver_id="UA",
        receiver_ids=["UB", "UC", "UD"],
        reason="&lt;!here&gt; &amp; more <!here> for <@UE>",
    )
    assert post.text == (
        ":raised_hands: <@UA> gave kudos to <@UB>, <@UC> and <@UD>: "
        "&lt;!here&gt; &amp; more @here for <@UE>"
    )


def test_notes_count_down_to_the_last_kudos() -> None:
    assert "3 of 10 kudos left today" in kudos_note(receiver_names=["<bob>"], left=3, quota=10)
    assert "&lt;bob&gt;" in kudos_note(receiver_names=["<bob>"], left=3, quota=10)
    assert "that was your last kudos today" in kudos_note(receiver_names=["bob"], left=0, quota=10)
    link = kudos_note(receiver_names=["bob"], left=1, quota=2, link="https://t/p1")
    assert "<https://t/p1|their message>" in link
    assert "javascript" not in kudos_note(
        receiver_names=["b"], left=1, quota=2, link="javascript:x"
    )
    assert "tomorrow" in over_quota(community_name="G", quota=5, left=0, wanted=1)


def test_leaderboards_use_names_only() -> None:
    message = render_leaderboards(
        community_name="<!channel>",
        period="last 7 days",
        kudos=[("bob", 3), ("<@U1>", 1)],
        knowledge=[],
    )
    text = flatten_text(message.blocks)
    assert ":first_place_medal: bob: 3 kudos" in text
    assert "<@U1>" not in text and "<!channel>" not in text
    assert "_nobody yet_" in text


def test_ties_share_a_place_and_the_next_place_counts_everyone_ahead() -> None:
    assert ranks([5, 5, 3, 3, 1]) == [1, 1, 3, 3, 5]
    assert ranks([2]) == [1] and ranks([]) == []


def test_a_reason_that_starts_with_for_reads_on_without_a_colon() -> None:
    post = render_kudos_post(giver_id="UA", receiver_ids=["UB"], reason="for the rollback tip")
    assert post.text == ":raised_hands: <@UA> gave kudos to <@UB> for the rollback tip"
    post = render_kudos_post(giver_id="UA", receiver_ids=["UB"], reason="great review")
    assert post.text == ":raised_hands: <@UA> gave kudos to <@UB>: great review"
