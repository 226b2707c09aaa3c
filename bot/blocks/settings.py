"""A community's settings and its queue of pending knowledge, for facilitators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.blocks.kit import (
    Block,
    Message,
    actions,
    button,
    confirmation,
    context,
    divider,
    link,
    plain,
    section,
    title_of,
    title_repeats_text,
)
from bot.mrkdwn import channel, escape, truncate
from storage.markup import to_mrkdwn

CONFIRM_SNIPPET = "confirm_snippet"
REJECT_SNIPPET = "reject_snippet"
SHOWN_PENDING = 10  # four blocks each: a message holds 50


SETTINGS_VIEW = "settings_form"
KNOWLEDGE_BLOCK, KUDOS_BLOCK = "knowledge_emoji", "kudos_emoji"
REACTIONS_BLOCK, CONFIRM_BLOCK, QUOTA_BLOCK = "reactions", "confirmation", "kudos_quota"
QUESTIONS_BLOCK = "questions"
VALUE = "value"  # every input's action_id
MAX_REACTIONS, MAX_QUOTA = 20, 100


def emoji_names(names: Sequence[str]) -> str:
    return " ".join(f":{n}:" for n in names)


@dataclass(frozen=True)
class SettingsValues:
    """What a facilitator can change about how a community captures knowledge and kudos."""

    knowledge_emojis: tuple[str, ...]
    reactions_required: int
    require_confirmation: bool
    kudos_emojis: tuple[str, ...]
    kudos_daily_quota: int
    questions_enabled: bool = True


LABELS = {
    "knowledge_emojis": "Knowledge emoji",
    "reactions_required": "Reactions needed",
    "require_confirmation": "Facilitator confirmation",
    "kudos_emojis": "Kudos emoji",
    "kudos_daily_quota": "Kudos per person per day",
    "questions_enabled": "Questions followed",
}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple):
        return emoji_names(value)
    return str(value)


def changes_text(before: SettingsValues, after: SettingsValues) -> list[str]:
    """One line per setting that changed: "Reactions needed: 1 → 2"."""
    return [
        f"{label}: {_shown(getattr(before, field))} → {_shown(getattr(after, field))}"
        for field, label in LABELS.items()
        if getattr(before, field) != getattr(after, field)
    ]


def _hints(values: SettingsValues) -> dict[str, str]:
    """For each setting, a command that would change it (never one setting it as it is)."""
    knowledge = (
        "bulb books brain" if set(values.knowledge_emojis) == {"bulb", "books"} else ("bulb books")
    )
    kudos = "raised_hands pray" if values.kudos_emojis == ("raised_hands",) else "raised_hands"
    return {
        "knowledge_emojis": "knowledge-emoji " + emoji_names(knowledge.split()),
        "reactions_required": f"reactions {2 if values.reactions_required == 1 else 1}",
        "require_confirmation": f"confirmation {'off' if values.require_confirmation else 'on'}",
        "kudos_emojis": "kudos-emoji " + emoji_names(kudos.split()),
        "kudos_daily_quota": f"kudos-quota {5 if values.kudos_daily_quota == 10 else 10}",
        "questions_enabled": f"questions {'off' if values.questions_enabled else 'on'}",
    }


def render_settings(
    *, name: str, values: SettingsValues, changed: Sequence[str] = (), note: str = ""
) -> Message:
    """`/cop settings …`: what changed (or `note`), and each setting with how to change it."""
    hints = _hints(values)
    lines = [
        f"*{label}:* {_shown(getattr(values, field))}  (`/cop settings {hints[field]}`)"
        for field, label in LABELS.items()
    ]
    blocks: list[Block] = []
    if changed:
        blocks.append(section(":white_check_mark: Saved. " + "; ".join(changed) + "."))
    elif note:
        blocks.append(section(note))
    blocks += [
        section(f"*Settings of {to_mrkdwn(name)}*"),
        section("\n".join(lines)),
        context("`/cop settings` on its own opens them in a form."),
    ]
    lead = ("Saved: " + "; ".join(changed) + ". ") if changed else ""
    return Message(text=f"{lead}Settings of {to_mrkdwn(name)}", blocks=blocks)


def _input(block_id: str, label: str, element: Block, hint: str, optional: bool = False) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {**element, "action_id": VALUE},
        "hint": plain(hint),
    }
    if optional:
        block["optional"] = True
    return block


def _number(value: int, low: int, high: int) -> Block:
    return {
        "type": "number_input",
        "is_decimal_allowed": False,
        "initial_value": str(value),
        "min_value": str(low),
        "max_value": str(high),
    }


def settings_modal(*, community_id: int, name: str, values: SettingsValues) -> dict[str, Any]:
    """`/cop settings` without arguments: every setting in a form, filled in as it is."""
    confirm = {"text": plain("A facilitator confirms new knowledge first"), "value": "on"}
    switch: Block = {"type": "checkboxes", "options": [confirm]}
    if values.require_confirmation:
        switch["initial_options"] = [confirm]
    follow = {"text": plain("Follow questions asked in the channel"), "value": "on"}
    questions: Block = {"type": "checkboxes", "options": [follow]}
    if values.questions_enabled:
        questions["initial_options"] = [follow]
    blocks = [
        _input(
            KNOWLEDGE_BLOCK,
            "Knowledge emoji",
            {"type": "plain_text_input", "initial_value": emoji_names(values.knowledge_emojis)},
            "A reaction with one of these (up to five) saves a message as knowledge.",
        ),
        _input(
            REACTIONS_BLOCK,
            "Reactions needed",
            _number(values.reactions_required, 1, MAX_REACTIONS),
            "How many people must react before a message counts as knowledge.",
        ),
        _input(
            CONFIRM_BLOCK,
            "Confirmation",
            switch,
            "Until a facilitator confirms it, new knowledge waits in /cop pending.",
            optional=True,
        ),
        _input(
            KUDOS_BLOCK,
            "Kudos emoji",
            {"type": "plain_text_input", "initial_value": emoji_names(values.kudos_emojis)},
            "A reaction with one of these thanks the message's author.",
        ),
        _input(
            QUOTA_BLOCK,
            "Kudos per person per day",
            _number(values.kudos_daily_quota, 1, MAX_QUOTA),
            "How many kudos each member can give a day.",
        ),
        _input(
            QUESTIONS_BLOCK,
            "Questions",
            questions,
            "copbot notes questions and their answers (/cop questions, the digest); an "
            "answered question's thread becomes knowledge.",
            optional=True,
        ),
    ]
    return {
        "type": "modal",
        "callback_id": SETTINGS_VIEW,
        "private_metadata": str(community_id),
        "title": plain("Settings"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [section(f"*{to_mrkdwn(name)}*"), *blocks],
    }


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


def pending_note(*, community_name: str, title: str | None, waiting: int, channel_id: str) -> str:
    """A facilitator's daily note that knowledge waits for their confirmation (markup in;
    `title` None for knowledge of a private channel, which the note does not quote)."""
    if title is None:
        what = "something shared in a private channel"
    else:
        what = f"“{escape(truncate(title_of(title, title), 80))}”"
    more = f" and {waiting - 1} more" if waiting > 1 else ""
    where = f" in {channel(channel_id)}" if channel_id else ""
    return (
        f":hourglass_flowing_sand: Knowledge waits for your confirmation in "
        f"*{to_mrkdwn(community_name)}*: {what}{more}. `/cop pending`{where} lists it with "
        "Confirm and Reject. (copbot tells you this at most once a day.)"
    )


def pending_buttons(snippet_id: int) -> Block:
    """Confirm and Reject for one snippet waiting for confirmation."""
    value = str(snippet_id)
    return actions(
        button("Confirm", CONFIRM_SNIPPET, value=value, style="primary"),
        button(
            "Reject",
            REJECT_SNIPPET,
            value=value,
            style="danger",
            confirm=confirmation(
                title="Reject this knowledge?",
                text="It is withdrawn for good: search and digests won't show it, and its "
                "curator is told privately.",
                confirm="Reject",
            ),
        ),
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
        text = truncate(to_mrkdwn(item.text), 300)
        blocks.append(divider())
        if title_repeats_text(item.title, item.text):  # the text once, with its link
            blocks.append(section(f"{text} {link(item.permalink, 'Open')}"))
        else:
            title = link(item.permalink, truncate(title_of(item.title, item.text, 120), 120))
            blocks.append(section(f"*{title}*\n{text}"))
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
