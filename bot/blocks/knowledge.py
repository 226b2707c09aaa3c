"""Knowledge as people see it: search results, shared posts, confirmations and the save modals.

Every text people gave copbot (snippets, titles, queries, community names) comes in as markup
(storage/markup.py) and goes out through to_mrkdwn or visible, once.
"""

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
    link,
    plain,
    plain_section,
    section,
    title_of,
    title_repeats_text,
)
from bot.mrkdwn import channel, escape, truncate, user, when
from bot.text import counted
from storage.markup import to_mrkdwn, visible

SEARCH_MORE = "search_more"  # "Next"
SEARCH_PREVIOUS = "search_previous"
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
    """One search result, with everything needed to show it (title and text are markup)."""

    title: str
    text: str
    permalink: str
    author_name: str
    tags: Sequence[str]
    endorsements: int
    channel_id: str
    created_at: datetime


def excerpt(text: str, terms: Sequence[str], length: int = EXCERPT_LENGTH) -> str:
    """The text as read around the first place one of `terms` starts a word (mrkdwn-safe)."""
    flat = " ".join(visible(text).split())
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


DAY = "{date_short_pretty}"  # "Today", "Yesterday", "Dec 7, 2026", in the reader's timezone


def hit_blocks(hit: Hit, terms: Sequence[str]) -> list[Block]:
    """A result: linked title, excerpt, then author, tags, endorsements and where it lives."""
    title = title_of(hit.title, hit.text)
    body = f"*{link(hit.permalink, truncate(title, 150))}*"
    rest = hit.text
    if title_repeats_text(hit.title, hit.text):  # the excerpt goes on from the title
        said = len(visible(title).removesuffix("…").split())  # titles end at a word
        rest = escape(" ".join(visible(hit.text).split()[said:]))
    if rest:  # a one-liner is its own title
        body += "\n" + excerpt(rest, terms)
    meta = [f"by {escape(hit.author_name)}"]
    if hit.tags:
        meta.append(" ".join(f"#{escape(t)}" for t in hit.tags))
    if hit.endorsements:  # a fresh share has none yet: ":bulb: 0" says nothing
        meta.append(f":bulb: {hit.endorsements}")
    meta.append(f"in {channel(hit.channel_id)} · {when(hit.created_at, 'UTC', DAY)}")
    return [section(body), context(" · ".join(meta))]


def more_value(query: str, offset: int) -> str:
    """The "More" button's value: the query and where the next page starts (≤ 2000 chars)."""
    return json.dumps({"q": query[:1500], "o": offset})


MAX_OFFSET = 1000  # 200 pages: nobody pages further; a larger offset is a damaged value


def parse_more_value(value: str) -> tuple[str, int]:
    """The query and offset stored by more_value (a damaged value restarts at 0)."""
    try:
        data = json.loads(value)
        query, offset = data.get("q", ""), data.get("o", 0)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return "", 0
    if not isinstance(query, str) or type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
        return (query if isinstance(query, str) else ""), 0
    return query[:1500], offset


def render_search_results(
    *,
    query: str,
    hits: Sequence[Hit],
    terms: Sequence[str],
    offset: int,
    has_more: bool,
    total: int = 0,
    total_capped: bool = False,
    suggestions: Sequence[str] = (),
) -> Message:
    """`/cop search`: a page of results (ephemeral) or a friendly "nothing yet".

    Args:
        query: what the person searched for, as markup (people named: with_names).
        hits: this page's results.
        terms: the searched words, to centre excerpts.
        offset: how many results came before this page.
        has_more: whether a "Next" button is offered.
        total: how many results there are in all (at least, when `total_capped`).
        total_capped: whether there may be more than `total`.
        suggestions: tags that exist, offered when nothing matched.
    """
    typed = truncate(" ".join(visible(query).split()), 100) or "everything"
    shown = escape(typed)
    if not hits:
        text = "Know the answer? Share it with `/cop share`, or react with :bulb: on a message "
        text += "that has it."
        if suggestions:
            text = "Try a tag: " + " ".join(f"`#{escape(t)}`" for t in suggestions) + "\n" + text
        nothing = plain_section(f"Nothing in community knowledge matches “{typed}” yet.")
        return Message(text=f"Nothing matches {shown} yet.", blocks=[nothing, section(text)])
    heading = page_heading(offset, len(hits), has_more, total, total_capped)
    # plain text shows the query exactly as typed: *bold* or _it_ would be formatting in mrkdwn
    blocks: list[Block] = [plain_section(f"🔍 {heading} for “{typed}”")]
    for hit in hits:
        blocks.append(divider())
        blocks.extend(hit_blocks(hit, terms))
    paging = []
    if offset:
        back = more_value(query, max(0, offset - PAGE_SIZE))
        paging.append(button("Previous", SEARCH_PREVIOUS, value=back))
    if has_more:
        paging.append(button("Next", SEARCH_MORE, value=more_value(query, offset + len(hits))))
    if paging:
        blocks.append(actions(*paging))
    fallback = f"{counted(len(hits), 'result')} for {shown}: " + "; ".join(
        escape(truncate(title_of(h.title, h.text), 60)) for h in hits
    )
    return Message(text=fallback, blocks=blocks)


def page_heading(offset: int, shown: int, has_more: bool, total: int, capped: bool) -> str:
    """ "3 results", or on one of several pages "Results 6–10 of 23" ("Result 11 of 11")."""
    if not offset and not has_more:
        return counted(shown, "result")
    first, last = offset + 1, offset + shown
    of = f"{max(total, last + int(has_more)):,}" + ("+" if capped else "")
    return f"Result {first} of {of}" if first == last else f"Results {first}–{last} of {of}"


def render_mention_answer(*, query: str, hits: Sequence[Hit], terms: Sequence[str]) -> Message:
    """The reply in thread to "@copbot what do we know about X?" (`query` is markup)."""
    typed = truncate(" ".join(visible(query).split()), 100)
    shown = escape(typed)
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
    blocks.append(context(f"More with `/cop search {escape(truncate(visible(query), 200))}`"))
    return Message(text=f"{counted(len(hits), 'result')} about {shown}", blocks=blocks)


def chunks(text: str, size: int) -> list[str]:
    """`text` cut into pieces of at most `size` characters, at line or word breaks if possible."""
    pieces = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        if cut < size // 2:
            cut = text.rfind(" ", 0, size)
        if cut < size // 2:
            cut = size
        opened = text.rfind("<", 0, cut)  # never inside a link or mention
        if opened > text.rfind(">", 0, cut) and opened > 0:
            cut = opened
        entity = text.rfind("&", max(0, cut - 8), cut)  # nor inside &amp; &lt; &gt;
        if entity > 0 and ";" in text[entity : cut + 8] and ";" not in text[entity:cut]:
            cut = entity
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text:
        pieces.append(text)
    return pieces


COLLAPSE_AT = 700  # a shared post longer than this (mrkdwn) shows its start and "Show more"
COLLAPSED_LENGTH = 500
SNIPPET_SHOW = "snippet_show"


def render_shared(
    *,
    sharer_id: str,
    text: str,
    title: str,
    tags: Sequence[str],
    community_name: str,
    waiting: bool = False,
    snippet_id: int | None = None,
    rejected: bool = False,
) -> Message:
    """The public post of `/cop share` or the "Share knowledge" form, with attribution.

    The text shows once: a title that only repeats its opening is left out. A long text shows
    its start and a "Show more" button that opens the whole of it (SNIPPET_SHOW).

    Args:
        sharer_id: who shared it (their mentions in `text` stay theirs: they made them).
        text: what they shared, markup.
        title: its title, markup ("" for none).
        tags: its tags.
        community_name: the community's name, markup.
        waiting: it counts once a facilitator confirms it (the footer says so).
        snippet_id: the snippet it is, for "Show more" (None: the text is shown whole).
        rejected: a facilitator decided not to keep it (the footer says so).
    """
    body = to_mrkdwn(text, mentions=True)
    collapsed = snippet_id is not None and len(body) > COLLAPSE_AT
    if collapsed:
        body = chunks(body, COLLAPSED_LENGTH)[0].rstrip() + "…"
    pieces = chunks(body, MAX_SECTION_TEXT - 100)[:40] or [""]
    blocks: list[Block] = []
    if title and not title_repeats_text(title, text):
        blocks.append(section(f":bulb: *{to_mrkdwn(title)}*"))
        blocks.extend(section(piece) for piece in pieces)
    else:
        blocks.append(section(f":bulb: {pieces[0]}"))
        blocks.extend(section(piece) for piece in pieces[1:])
    if collapsed:
        blocks.append(actions(button("Show more", SNIPPET_SHOW, value=str(snippet_id))))
    meta = shared_meta(sharer_id, tags, community_name, waiting)
    if rejected:
        meta[-1] = f"not kept as {to_mrkdwn(community_name)} knowledge"
    blocks.append(context(" · ".join(meta)))
    headline = to_mrkdwn(title) if title else escape(title_of("", text, 150))
    return Message(text=f"Knowledge shared: {truncate(headline, 150)}", blocks=blocks)


def shared_meta(
    sharer_id: str, tags: Sequence[str], community_name: str, waiting: bool
) -> list[str]:
    """A shared post's footer: who shared it, its tags, and whether it counts yet."""
    meta = [f"Shared by {user(sharer_id)}"]
    if tags:
        meta.append(" ".join(f"#{escape(t)}" for t in tags))
    name = to_mrkdwn(community_name)
    meta.append(
        f"waiting for a facilitator of {name} to confirm it"
        if waiting
        else f"saved to {name} knowledge"
    )
    return meta


def snippet_modal(*, title: str, text: str, permalink: str, author_name: str) -> dict[str, Any]:
    """A snippet whole, in a modal ("Show more" under a long shared post)."""
    shown = title_of(title, text)
    blocks: list[Block] = [section(f"*{link(permalink, truncate(shown, 150))}*")]
    blocks += [section(p) for p in chunks(to_mrkdwn(text), MAX_SECTION_TEXT - 100)[:90]]
    blocks.append(context(f"by {escape(author_name)}"))
    return {
        "type": "modal",
        "title": plain("Community knowledge"),
        "close": plain("Close"),
        "blocks": blocks,
    }


def capture_confirmation(*, community_name: str, title: str, status: str, needed: str = "") -> str:
    """The one ephemeral line the first reactor (or saver) sees (title and name are markup)."""
    what = f"“{truncate(to_mrkdwn(title), 80)}”" if title else "That message"
    name = to_mrkdwn(community_name)
    if status == "confirmed":
        return f":bulb: {what} is now *{name}* knowledge. Anyone can find it with `/cop search`."
    return f":hourglass_flowing_sand: {what} is noted for *{name}*: {needed}"


ENDORSE_UNDO = "endorse_undo"


def endorsement_note(
    *, title: str, status: str, endorsements: int, needed: str, snippet_id: int, emoji: str
) -> Message:
    """What a second or later reactor alone sees: their endorsement counted, and an Undo."""
    what = f"“{truncate(to_mrkdwn(title), 80)}”" if title else "that message"
    if status == "confirmed":
        people = "1 person has" if endorsements == 1 else f"{endorsements} people have"
        text = f":bulb: You endorsed {what}: {people} so far."
    else:
        text = f":bulb: You endorsed {what}: {needed}"
    undo = button("Undo", ENDORSE_UNDO, value=json.dumps({"s": snippet_id, "e": emoji[:60]}))
    return Message(text=text, blocks=[section(text, accessory=undo)])


def parse_undo_value(value: str) -> tuple[int, str] | None:
    """The snippet and emoji an Undo names (None for a damaged value)."""
    try:
        data = json.loads(value)
        snippet_id, emoji = data["s"], data["e"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if type(snippet_id) is not int or not isinstance(emoji, str) or not 0 < snippet_id < 2**62:
        return None
    return snippet_id, emoji


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
        element["initial_value"] = initial[:max_length]  # raw: what the person will edit
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
        {"text": plain(truncate(visible(name), 75)), "value": str(community_id)}
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
    """The "Save to community knowledge" modal of the message shortcut.

    Args:
        metadata: what the submission needs back (channel, ts, community).
        title: the suggested title, markup.
        tags: the suggested tags.
        excerpt_text: the message, markup.
        communities: the person's communities (id, name markup), when they pick one.
        fixed_community: the name (markup) of the community it will go to, if fixed.
    """
    quoted = truncate(" ".join(to_mrkdwn(excerpt_text).split()), 280)
    blocks: list[Block] = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"> {quoted}"}]},
        _text_input(
            TITLE_BLOCK,
            TITLE_ACTION,
            "Title",
            initial=visible(title),
            placeholder="What is this about?",
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
        blocks.append(context(f"Saves to *{to_mrkdwn(fixed_community)}* knowledge"))
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
        topic: what was asked about, markup.
        experts: (name, snippets written, snippets endorsed), best first.
    """
    typed = truncate(" ".join(visible(topic).split()), 100)
    shown = escape(typed)
    if not experts:
        text = (
            f"Nobody has shared or endorsed knowledge about “{typed}” yet. Be the first: "
            "/cop share …, or react with 💡 on a good answer."
        )
        return Message(text=f"No experts on {shown} yet", blocks=[plain_section(text)])
    lines = []
    for name, wrote, endorsed in experts:
        parts = []
        if wrote:
            parts.append(f"{wrote} snippet{'s' if wrote != 1 else ''}")
        if endorsed:
            parts.append(f"endorsed {endorsed}")
        lines.append(f"• *{escape(name)}*: {', '.join(parts)}")
    blocks = [
        plain_section(f"🎓 Who knows about “{typed}”"),
        section("\n".join(lines)),
        context("Based on the knowledge they shared and endorsed. Ask them in the channel!"),
    ]
    return Message(text=f"People who know about {shown}", blocks=blocks)
