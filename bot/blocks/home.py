"""The App Home tab: my communities, my contributions, my kudos, and what waits for me."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.blocks.kit import (
    MAX_VIEW_BLOCKS,
    Block,
    actions,
    button,
    context,
    divider,
    header,
    link,
    plain,
    section,
    title_of,
)
from bot.blocks.settings import pending_buttons
from bot.mrkdwn import channel, truncate, when
from bot.text import counted
from storage.markup import to_mrkdwn

HOME_SHARE = "home_share"
HOME_SEARCH = "home_search"
SEARCH_VIEW = "home_search_submit"
QUERY_BLOCK, QUERY_ACTION = "query", "query_input"
LINES_PER_SECTION = 10


DETAILED_COMMUNITIES = 10  # in full, each its own section; the rest in a list


@dataclass(frozen=True)
class HomeTop:
    """One of a community's most endorsed snippets (title and text are markup)."""

    title: str
    text: str
    permalink: str
    endorsements: int


@dataclass(frozen=True)
class HomeCommunity:
    name: str
    channel_id: str
    next_prompt: datetime | None  # None: switched off
    next_digest: datetime | None
    timezone: str = "UTC"  # the community's, for clients that cannot show Slack's dates
    paused: bool = False
    # the last 7 days, and the 7 before them
    snippets: int = 0
    snippets_before: int = 0
    kudos: int = 0
    kudos_before: int = 0
    active: int = 0
    active_before: int = 0
    top: Sequence[HomeTop] = ()


@dataclass(frozen=True)
class HomeItem:
    """A snippet shown on the home tab."""

    snippet_id: int
    title: str  # markup, "" when it has none
    text: str  # markup
    permalink: str
    status: str
    community: str  # the community's name, markup
    saved: bool = False  # saved from someone else's message (not written by this person)


@dataclass(frozen=True)
class HomeData:
    communities: Sequence[HomeCommunity] = ()
    contributions: Sequence[HomeItem] = ()
    kudos_count: int = 0
    kudos_lines: Sequence[str] = ()  # "from bob: for the review" (already in words)
    pending: Sequence[HomeItem] = ()
    pending_total: int = 0
    muted: bool = False


def _link(item: HomeItem) -> str:
    return link(item.permalink, truncate(title_of(item.title, item.text), 120))


def _chunked(lines: Sequence[str], title: str) -> list[Block]:
    blocks = []
    for start in range(0, len(lines), LINES_PER_SECTION):
        head = f"*{title}*\n" if start == 0 else ""
        blocks.append(section(head + "\n".join(lines[start : start + LINES_PER_SECTION])))
    return blocks


def _communities(data: HomeData) -> list[Block]:
    if not data.communities:
        return [
            section(
                "*Your communities*\nYou aren't in any community yet. Join a community's "
                "channel, or start one with `/cop create &lt;name&gt;` in a channel."
            )
        ]
    blocks = [section(f"*Your communities ({len(data.communities)})*")]
    blocks += [section(_card(c)) for c in data.communities[:DETAILED_COMMUNITIES]]
    rest = data.communities[DETAILED_COMMUNITIES:]
    if rest:
        lines = [f"• *{to_mrkdwn(c.name)}* in {channel(c.channel_id)}: {_when(c)}" for c in rest]
        blocks += _chunked(lines, "And")
    return blocks


def _when(c: HomeCommunity) -> str:
    if c.paused:
        return "paused"
    prompt = when(c.next_prompt, c.timezone) if c.next_prompt else "off"
    digest = when(c.next_digest, c.timezone) if c.next_digest else "off"
    return f"next prompt {prompt} · digest {digest}"


def trend(now: int, before: int) -> str:
    """ "(↑2)" or "(↓1)" against the 7 days before; nothing when level."""
    if now > before:
        return f" (↑{now - before})"
    if now < before:
        return f" (↓{before - now})"
    return ""


def _card(c: HomeCommunity) -> str:
    """A community's week at a glance: its numbers and trend, its next posts, its best."""
    numbers = (
        f"{counted(c.snippets, 'new snippet')}{trend(c.snippets, c.snippets_before)} · "
        f"{c.kudos} kudos{trend(c.kudos, c.kudos_before)} · "
        f"{counted(c.active, 'active person', 'active people')}{trend(c.active, c.active_before)}"
    )
    lines = [
        f"*{to_mrkdwn(c.name)}* in {channel(c.channel_id)}",
        f"Last 7 days: {numbers}",
        _when(c)[0].upper() + _when(c)[1:],
    ]
    if c.top:
        best = " · ".join(
            f"{link(t.permalink, truncate(title_of(t.title, t.text), 60, at_word=True))} "
            f"(endorsed by {t.endorsements})"
            for t in c.top
        )
        lines.append(f"Most endorsed: {best}")
    return "\n".join(lines)


def _contributions(data: HomeData) -> list[Block]:
    if not data.contributions:
        return [
            section("*Your recent knowledge*\nNothing yet: `/cop share`, or react with :bulb:.")
        ]
    lines = [
        f"• {_link(item)} in {to_mrkdwn(item.community)}" + _notes(item)
        for item in data.contributions
    ]
    return _chunked(lines, "Your recent knowledge")


def _notes(item: HomeItem) -> str:
    """ " _(saved by you, pending)_": how it came to be yours, and where it stands."""
    notes = ["saved by you"] if item.saved else []
    if item.status != "confirmed":
        notes.append(item.status)
    return f" _({', '.join(notes)})_" if notes else ""


def _kudos(data: HomeData) -> list[Block]:
    text = f"*Kudos this month: {data.kudos_count}*"
    if data.kudos_lines:
        text += "\n" + "\n".join(f"• {line}" for line in data.kudos_lines)
    return [section(text)]


def _pending(data: HomeData) -> list[Block]:
    if not data.pending:
        return []
    blocks: list[Block] = [section(f"*Waiting for your confirmation ({data.pending_total})*")]
    for item in data.pending[:10]:
        blocks.append(section(f"{_link(item)} in {to_mrkdwn(item.community)}"))
        blocks.append(pending_buttons(item.snippet_id))
    if data.pending_total > len(data.pending[:10]):
        blocks.append(context("See them all with `/cop pending` in the community's channel."))
    return blocks


def render_home(data: HomeData, *, note: str = "") -> dict[str, Any]:
    """The home tab view for one person (at most Slack's 100 blocks, whatever they belong to),
    under `note` (mrkdwn: what their last click on it did) when there is one."""
    blocks: list[Block] = [
        header("Your communities of practice"),
        *([context(note)] if note else []),
        actions(
            button("Share knowledge", HOME_SHARE, style="primary"),
            button("Search knowledge", HOME_SEARCH),
            block_id="home_actions",
        ),
    ]
    for part in (_communities(data), _pending(data), _contributions(data), _kudos(data)):
        if part:
            blocks.append(divider())
            blocks.extend(part)
    if data.muted:
        blocks.append(
            context("copbot is muted for you: no welcomes or DMs. `/cop unmute` undoes it.")
        )
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


def search_modal() -> dict[str, Any]:
    """The search form opened from the home tab."""
    return {
        "type": "modal",
        "callback_id": SEARCH_VIEW,
        "title": plain("Search knowledge"),
        "submit": plain("Search"),
        "close": plain("Close"),
        "blocks": [
            {
                "type": "input",
                "block_id": QUERY_BLOCK,
                "label": plain("What are you looking for?"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": QUERY_ACTION,
                    "max_length": 500,
                    "placeholder": plain("fixtures #testing @alice"),
                },
            }
        ],
    }


def search_results_modal(blocks: Sequence[Block]) -> dict[str, Any]:
    """Search results shown in the modal (the "More" button needs a channel, so it is left out)."""
    shown = [b for b in blocks if b.get("type") != "actions"][: MAX_VIEW_BLOCKS - 1]
    return {
        "type": "modal",
        "callback_id": SEARCH_VIEW,
        "title": plain("Search knowledge"),
        "close": plain("Close"),
        "blocks": [*shown, context("More at once with `/cop search` in any channel.")],
    }
