"""Small Block Kit element builders that respect Slack's size limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.mrkdwn import escape, truncate
from bot.text import title_from
from storage.markup import visible

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_TEXT = 2000
MAX_BUTTON_TEXT = 75
MAX_FALLBACK_TEXT = 3000


@dataclass(frozen=True)
class Message:
    """A message ready for chat.postMessage / respond(): fallback `text` plus `blocks`."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.blocks) > MAX_MESSAGE_BLOCKS:
            raise ValueError(f"{len(self.blocks)} blocks exceed Slack's {MAX_MESSAGE_BLOCKS}")

    def as_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for chat.postMessage, chat.postEphemeral or respond()."""
        return {"text": truncate(self.text, MAX_FALLBACK_TEXT), "blocks": self.blocks}


def section(text: str, *, accessory: Block | None = None) -> Block:
    """A mrkdwn section, cut to Slack's 3,000 characters."""
    block: Block = {"type": "section", "text": mrkdwn(truncate(text, MAX_SECTION_TEXT))}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def plain_section(text: str) -> Block:
    """A section whose text shows exactly as given (raw): no formatting, links or mentions."""
    return {"type": "section", "text": plain(truncate(text, MAX_SECTION_TEXT))}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(truncate(text, MAX_HEADER_TEXT))}


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [mrkdwn(truncate(t, MAX_CONTEXT_TEXT)) for t in texts[:10]],
    }


def divider() -> Block:
    return {"type": "divider"}


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def button(
    text: str,
    action_id: str,
    *,
    value: str = "",
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(truncate(text, MAX_BUTTON_TEXT)),
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def confirmation(*, title: str, text: str, confirm: str, deny: str = "Cancel") -> Block:
    """Block Kit's confirmation dialog, shown by Slack before a button's click is sent (its
    texts within Slack's limits: title 100, text 300, buttons 30 characters)."""
    return {
        "title": plain(truncate(title, 100)),
        "text": plain(truncate(text, 300)),
        "confirm": plain(truncate(confirm, 30)),
        "deny": plain(truncate(deny, 30)),
        "style": "danger",
    }


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> Block:
    return {"type": "plain_text", "text": text, "emoji": True}


def link(url: str, label: str) -> str:
    """A mrkdwn link to `url` whose label is `label` as read (raw), or just the label."""
    shown = escape(label)  # a "|" in the label is fine: Slack splits at the first one
    return f"<{url}|{shown}>" if url.startswith("https://") else shown


def title_of(title: str, text: str, length: int = 80) -> str:
    """A snippet's title as read: its own, else its text's first line, else "Untitled"."""
    return visible(title) or visible(text).strip().split("\n", 1)[0][:length] or "Untitled"


def title_repeats_text(title: str, text: str) -> bool:
    """Whether a title (markup) only repeats the opening of the text, as bot.text.title_from
    makes one: then the text says it already."""
    if not title or title == title_from(text):
        return True
    said = " ".join(visible(text).split())
    opening = " ".join(visible(title).split()).removesuffix("…").rstrip()
    return said.startswith(opening)
