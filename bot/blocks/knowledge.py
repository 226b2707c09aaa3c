"""Knowledge as people see it: search results, shared posts, confirmations and the save modals."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.blocks.kit import (
    MAX_SECTION_TEXT,
    Block,
    Message,
    actions,
    button,
    context,
    divider,
    plain,
    section,
)
from bot.mrkdwn import channel, escape, truncate, user
from bot.text import counted, readable

SEARCH_MORE = "search_more"
PAGE_SIZE = 5
EXCERPT_LENGTH = 280
SAVE_VIEW = "save_knowledge"
SHARE_VIEW = "share_knowledge"
TITLE_BLOCK, TITLE_ACTION = "title", "title_input"
TAGS_BLOCK, TAGS_ACTION = "tags", "tags_input"
TEXT_BLOCK, TEXT_ACTION = "text", "text_input"
COMMUNITY_BLOCK, COMMUNITY_ACTION = "community", "community_select"


@dataclass(frozen=True)
class Hit:
    """One search result, with everything needed to show it."""

    title: str
    text: str
    permalink: str
    author_name: str
    tags: Sequence[str]
    endorsements: int
    channel_id: str
    created_at: datetime


def excerpt(text: str, terms: Sequence[str], length: int = EXCERPT_LENGTH) -> str:
    """Plain text around the first place one of `terms` starts a word (escaped for mrkdwn)."""
    flat = " ".join(readable(text).split())
    start = 0
    for term in terms:
        found = re.search(r"(?<!\w)" + re.escape(term), flat, re.IGNORECASE)
        if found:
            start = max(0, found.start() - length // 3)
            break
    piece = flat[start : start + length]
    if start > 0:
        cut = piece.find(" ")
        piece = "…" + (piece[cut + 1 :] if 0 <= cut < 20 else piece)
    if start + length < len(flat):
        piece = piece.rsplit(" ", 1)[0] + "…"
    return escape(piece)


def _link(url: str, label: str) -> str:
    label = escape(label).replace("|", "¦")
    return f"<{url}|{label}>" if url.startswith("https://") else label


def hit_blocks(hit: Hit, terms: Sequence[str]) -> list[Block]:
    """A result: linked title, excerpt, then author, tags, endorsements and where it lives."""
    title = hit.title or readable(hit.text).split("\n", 1)[0][:80] or "Untitled"
    body = f"*{_link(hit.permalink, truncate(title, 150))}*"
    if " ".join(readable(hit.text).split()) != title:  # a one-liner is its own title
        body += "\n" + excerpt(hit.text, terms)
    meta = [f"by {escape(hit.author_name)}"]
    if hit.tags:
        meta.append(" ".join(f"#{escape(t)}" for t in hit.tags))
    meta.append(f":bulb: {hit.endorsements}")
    meta.append(f"in {channel(hit.channel_id)} · {hit.created_at:%Y-%m-%d}")
    return [section(body), context(" · ".join(meta))]


def more_value(query: str, offset: int) -> str:
    """The "More" button's value: the query and where the next page starts (≤ 2000 chars)."""
    return json.dumps({"q": query[:1500], "o": offset})


def parse_more_value(value: str) -> tuple[str, int]:
    """The query and offset stored by more_value (a damaged value restarts at 0)."""
    try:
        data = json.loads(value)
        return str(data.get("q", "")), max(0, int(data.get("o", 0)))
    except (ValueError, TypeError, AttributeError):
        return "", 0


def render_search_results(
    *,
    query: str,
    hits: Sequence[Hit],
    terms: Sequence[str],
    offset: int,
    has_more: bool,
    suggestions: Sequence[str] = (),
) -> Message:
    """`/cop search`: a page of results (ephemeral) or a friendly "nothing yet".

    Args:
        query: what the user typed (shown back escaped).
        hits: this page's results.
        terms: the searched words, to centre excerpts.
        offset: how many results came before this page.
        has_more: whether a "More" button is offered.
        suggestions: tags that exist, offered when nothing matched.
    """
    shown = escape(truncate(query, 100)) or "everything"
    if not hits:
        text = f"Nothing in community knowledge matches *{shown}* yet."
        if suggestions:
            text += "\nTry a tag: " + " ".join(f"`#{escape(t)}`" for t in suggestions)
        text += (
            "\nKnow the answer? Share it with `/cop share`, or react with :bulb: on a message "
            "that has it."
        )
        return Message(text=f"Nothing matches {shown} yet.", blocks=[section(text)])
    first, last = offset + 1, offset + len(hits)
    heading = f"Results {first}–{last}" if offset or has_more else counted(len(hits), "result")
    blocks: list[Block] = [section(f":mag: {heading} for *{shown}*")]
    for hit in hits:
        blocks.append(divider())
        blocks.extend(hit_blocks(hit, terms))
    if has_more:
        blocks.append(
            actions(
                button("More results", SEARCH_MORE, value=more_value(query, offset + len(hits)))
            )
        )
    fallback = f"{counted(len(hits), 'result')} for {shown}: " + "; ".join(
        escape(truncate(h.title or readable(h.text), 60)) for h in hits
    )
    return Message(text=fallback, blocks=blocks)


def render_mention_answer(*, query: str, hits: Sequence[Hit], terms: Sequence[str]) -> Message:
    """The reply in thread to "@copbot what do we know about X?"."""
    shown = escape(truncate(query, 100))
    if not query.strip():
        text = "Ask me what the community knows, e.g. `@copbot what do we know about fixtures?`"
        return Message(text=text, blocks=[section(text)])
    if not hits:
        text = (
            f"I couldn't find anything about *{shown}* in community knowledge yet. "
            "If someone here knows, react with :bulb: on their answer to keep it."
        )
        return Message(text=f"Nothing found about {shown}.", blocks=[section(text)])
    blocks: list[Block] = [section(f"Here's what the community knows about *{shown}*:")]
    for hit in hits:
        blocks.extend(hit_blocks(hit, terms))
    blocks.append(context(f"More with `/cop search {escape(truncate(query, 200))}`"))
    return Message(text=f"{len(hits)} results about {shown}", blocks=blocks)


def chunks(text: str, size: int) -> list[str]:
    """`text` cut into pieces of at most `size` characters, at line or word breaks if possible."""
    pieces = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        if cut < size // 2:
            cut = text.rfind(" ", 0, size)
        if cut < size // 2:
            cut = size
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text:
        pieces.append(text)
    return pieces


def render_shared(
    *, sharer_id: str, text: str, title: str, tags: Sequence[str], community_name: str
) -> Message:
    """The public post of `/cop share` or the "Share knowledge" shortcut, with attribution."""
    blocks: list[Block] = [
        section(f":bulb: *{escape(title)}*" if title else ":bulb: *Shared knowledge*")
    ]
    for piece in chunks(escape(text), MAX_SECTION_TEXT - 100)[:40]:
        blocks.append(section(piece))
    meta = [f"Shared by {user(sharer_id)}"]
    if tags:
        meta.append(" ".join(f"#{escape(t)}" for t in tags))
    meta.append(f"saved to {escape(community_name)} knowledge")
    blocks.append(context(" · ".join(meta)))
    return Message(
        text=f"Knowledge shared: {truncate(title or readable(text), 150)}", blocks=blocks
    )


def capture_confirmation(*, community_name: str, title: str, status: str, needed: str = "") -> str:
    """The one ephemeral line the first reactor (or saver) sees."""
    what = f"“{escape(truncate(title, 80))}”" if title else "That message"
    if status == "confirmed":
        return (
            f":bulb: {what} is now *{escape(community_name)}* knowledge. "
            "Anyone can find it with `/cop search`."
        )
    return f":hourglass_flowing_sand: {what} is noted for *{escape(community_name)}*: {needed}"


def _text_input(
    block_id: str,
    action_id: str,
    label: str,
    *,
    initial: str = "",
    multiline: bool = False,
    optional: bool = False,
    max_length: int = 200,
    placeholder: str = "",
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": action_id,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder)
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": optional,
        "element": element,
    }


def community_select(options: Sequence[tuple[int, str]], *, initial: int | None = None) -> Block:
    """A required choice of community (up to Slack's 100 options)."""
    choices = [
        {"text": plain(truncate(name, 75)), "value": str(community_id)}
        for community_id, name in options[:100]
    ]
    element: Block = {"type": "static_select", "action_id": COMMUNITY_ACTION, "options": choices}
    chosen = [c for c in choices if c["value"] == str(initial)]
    if chosen:
        element["initial_option"] = chosen[0]
    return {
        "type": "input",
        "block_id": COMMUNITY_BLOCK,
        "label": plain("Community"),
        "element": element,
    }


def save_modal(
    *,
    metadata: dict[str, Any],
    title: str,
    tags: Sequence[str],
    excerpt_text: str,
    communities: Sequence[tuple[int, str]],
    fixed_community: str | None,
) -> dict[str, Any]:
    """The "Save to community knowledge" modal of the message shortcut."""
    blocks: list[Block] = [
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"> {escape(truncate(excerpt_text, 280))}"}],
        },
        _text_input(
            TITLE_BLOCK, TITLE_ACTION, "Title", initial=title, placeholder="What is this about?"
        ),
        _text_input(
            TAGS_BLOCK,
            TAGS_ACTION,
            "Tags",
            initial=" ".join(tags),
            optional=True,
            placeholder="python testing",
        ),
    ]
    if fixed_community is None:
        blocks.append(community_select(communities))
    else:
        blocks.append(context(f"Saves to *{escape(fixed_community)}* knowledge"))
    return {
        "type": "modal",
        "callback_id": SAVE_VIEW,
        "private_metadata": json.dumps(metadata),
        "title": plain("Save knowledge"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def share_modal(
    *, communities: Sequence[tuple[int, str]], initial: int | None = None
) -> dict[str, Any]:
    """The "Share knowledge" modal of the global shortcut (and the App Home button)."""
    return {
        "type": "modal",
        "callback_id": SHARE_VIEW,
        "title": plain("Share knowledge"),
        "submit": plain("Share"),
        "close": plain("Cancel"),
        "blocks": [
            community_select(communities, initial=initial),
            _text_input(TITLE_BLOCK, TITLE_ACTION, "Title", placeholder="What is this about?"),
            _text_input(
                TEXT_BLOCK,
                TEXT_ACTION,
                "What do you know?",
                multiline=True,
                max_length=3000,
                placeholder="The tip, answer, link or story worth keeping",
            ),
            _text_input(
                TAGS_BLOCK, TAGS_ACTION, "Tags", optional=True, placeholder="python testing"
            ),
        ],
    }


def no_community_modal(text: str) -> dict[str, Any]:
    """A modal that only explains why nothing can be saved yet."""
    return {
        "type": "modal",
        "title": plain("copbot"),
        "close": plain("OK"),
        "blocks": [section(text)],
    }


def render_experts(*, topic: str, experts: Sequence[tuple[str, int, int]]) -> Message:
    """`/cop experts`: who knows most about a topic, by name (nobody is pinged).

    Args:
        topic: what was asked about.
        experts: (name, snippets written, snippets endorsed), best first.
    """
    shown = escape(truncate(topic, 100))
    if not experts:
        text = (
            f"Nobody has shared or endorsed knowledge about *{shown}* yet. Be the first: "
            "`/cop share …`, or react with :bulb: on a good answer."
        )
        return Message(text=f"No experts on {shown} yet", blocks=[section(text)])
    lines = []
    for name, wrote, endorsed in experts:
        parts = []
        if wrote:
            parts.append(f"{wrote} snippet{'s' if wrote != 1 else ''}")
        if endorsed:
            parts.append(f"endorsed {endorsed}")
        lines.append(f"• *{escape(name)}*: {', '.join(parts)}")
    blocks = [
        section(f":mortar_board: *Who knows about {shown}*\n" + "\n".join(lines)),
        context("Based on the knowledge they shared and endorsed. Ask them in the channel!"),
    ]
    return Message(text=f"People who know about {shown}", blocks=blocks)
