"""A community's settings and its queue of pending knowledge, for facilitators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.blocks.kit import (
    Block,
    Message,
    actions,
    button,
    context,
    divider,
    link,
    section,
    title_of,
)
from bot.mrkdwn import channel, escape, truncate
from storage.markup import to_mrkdwn

CONFIRM_SNIPPET = "confirm_snippet"
REJECT_SNIPPET = "reject_snippet"
SHOWN_PENDING = 10  # four blocks each: a message holds 50


def emoji_names(names: Sequence[str]) -> str:
    return " ".join(f":{n}:" for n in names)


def render_settings(
    *,
    name: str,
    knowledge_emojis: Sequence[str],
    reactions_required: int,
    require_confirmation: bool,
    extra: Sequence[tuple[str, str]] = (),
) -> Message:
    """`/cop settings`: what a facilitator can change, and how."""
    lines = [
        f"*Knowledge emoji:* {emoji_names(knowledge_emojis)}  "
        "(`/cop settings knowledge-emoji :bulb: :books:`)",
        f"*Reactions needed:* {reactions_required}  (`/cop settings reactions 2`)",
        f"*Facilitator confirmation:* {'on' if require_confirmation else 'off'}  "
        "(`/cop settings confirmation on`)",
        *(f"*{label}:* {value}" for label, value in extra),
    ]
    return Message(
        text=f"Settings of {to_mrkdwn(name)}",
        blocks=[section(f"*Settings of {to_mrkdwn(name)}*"), section("\n".join(lines))],
    )


@dataclass(frozen=True)
class PendingItem:
    """A snippet waiting for confirmation (title and text are markup)."""

    snippet_id: int
    title: str
    text: str
    author_name: str
    endorsements: int
    channel_id: str
    permalink: str


def pending_buttons(snippet_id: int) -> Block:
    """Confirm and Reject for one snippet waiting for confirmation."""
    value = str(snippet_id)
    return actions(
        button("Confirm", CONFIRM_SNIPPET, value=value, style="primary"),
        button("Reject", REJECT_SNIPPET, value=value, style="danger"),
    )


def render_pending(*, name: str, items: Sequence[PendingItem], note: str = "") -> Message:
    """`/cop pending`: knowledge waiting for confirmation, each with Confirm and Reject.

    Args:
        name: the community's name, markup.
        items: what waits, oldest first.
        note: what was just done (mrkdwn), shown first: "Confirmed “…”."
    """
    name = to_mrkdwn(name)
    lead = [section(note)] if note else []
    if not items:
        text = (
            f"Nothing else is waiting for confirmation in *{name}*."
            if note
            else (f"Nothing is waiting for confirmation in *{name}*.")
        )
        return Message(text=text, blocks=[*lead, section(text)])
    blocks: list[Block] = [
        *lead,
        section(
            f"*{len(items)} snippet{'s' if len(items) != 1 else ''} waiting in {name}*: "
            "confirm what the community should keep, reject what it shouldn't."
        ),
    ]
    for item in items[:SHOWN_PENDING]:
        title = link(item.permalink, truncate(title_of(item.title, item.text, 120), 120))
        blocks.append(divider())
        blocks.append(section(f"*{title}*\n{truncate(to_mrkdwn(item.text), 300)}"))
        blocks.append(
            context(
                f"by {escape(item.author_name)} · :bulb: {item.endorsements}"
                f" · in {channel(item.channel_id)}"
            )
        )
        blocks.append(pending_buttons(item.snippet_id))
    if len(items) > SHOWN_PENDING:
        more = len(items) - SHOWN_PENDING
        blocks.append(context(f"…and {more} more: they show here as these are settled."))
    return Message(text=f"{len(items)} snippets waiting in {name}", blocks=blocks)
