"""The App Home view from plain data: 0, 1 and 40 communities, within Slack's 100 blocks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.blocks.home import HomeCommunity, HomeData, HomeItem, render_home
from tests.harness import flatten_text

PROMPT = datetime(2026, 11, 30, 10, tzinfo=UTC)
DIGEST = datetime(2026, 12, 4, 16, tzinfo=UTC)


def item(i: int, status: str = "confirmed") -> HomeItem:
    # markup, as stored: a real broadcast token in a title must ping nobody
    return HomeItem(i, f"Tip {i} <!channel>", "", f"https://t.slack.com/p{i}", status, "Guild")


@pytest.mark.parametrize("count", [0, 1, 40])
def test_home_stays_within_limits(count: int) -> None:
    data = HomeData(
        communities=[
            HomeCommunity(f"Community {i}", f"C{i}", PROMPT, None if i % 2 else DIGEST)
            for i in range(count)
        ],
        contributions=[item(i) for i in range(5)],
        kudos_count=12,
        kudos_lines=["from bob: for the review"] * 3,
        pending=[item(i, "pending") for i in range(10)],
        pending_total=25,
    )
    view = render_home(data)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = flatten_text(view["blocks"])
    assert f"Your communities ({count})" in text if count else "aren't in any community" in text
    assert "Waiting for your confirmation (25)" in text and "/cop pending" in text
    assert "Kudos this month: 12" in text
    assert "<!channel>" not in text
    for block in view["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def test_an_empty_home_invites_to_start() -> None:
    text = flatten_text(render_home(HomeData(muted=True))["blocks"])
    assert "/cop create" in text and "Nothing yet" in text and "/cop unmute" in text
    assert "Waiting for your confirmation" not in text
