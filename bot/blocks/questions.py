"""/cop questions: a community's questions, with their age, replies and what became of them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.blocks.kit import Block, Message, button, context, link, section
from bot.mrkdwn import escape
from bot.text import counted, title_from
from storage.markup import to_mrkdwn, visible

SHOWN = 10  # questions listed; the rest are counted
QUESTION_CLOSE, QUESTION_REOPEN = "question_close", "question_reopen"  # facilitators' buttons
LINES_PER_SECTION = 5

OPEN, ANSWERED, MINE = "open", "answered", "mine"
HEADINGS = {
    OPEN: "Open questions in *{name}*, the longest waiting first",
    ANSWERED: "Answered and closed questions in *{name}*, the latest first",
    MINE: "Your questions in *{name}*, the newest first",
}
EMPTY = {
    OPEN: "No open questions in *{name}*. A question asked in the channel shows up here "
    "until someone answers it.",
    ANSWERED: "No answered questions in *{name}* yet. When an asker thanks someone in the "
    "thread, their question counts as answered.",
    MINE: "You haven't asked a question in *{name}* yet: ask in the channel, and it shows up here.",
}


@dataclass(frozen=True)
class QuestionLine:
    """One question as listed (text is markup; names already looked up)."""

    text: str
    permalink: str
    asker: str
    age: timedelta
    replies: int
    answered_by: str = ""  # a name, when it was answered
    open: bool = True
    closed: bool = False  # by a facilitator, unanswered
    question_id: int = 0


def ago(age: timedelta) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "2 days ago", "5 weeks ago"."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "just now"
    for size, unit in ((60 * 24 * 7, "week"), (60 * 24, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            return f"{counted(minutes // size, unit)} ago"
    return "just now"


def duration(span: timedelta) -> str:
    """ "under a minute", "45 min", "2 h 10 min", "3 days"."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h" + (f" {rest} min" if rest and hours < 10 else "")
    return f"{minutes // (60 * 24)} days"


def _line(item: QuestionLine) -> str:
    title = visible(title_from(item.text, 80)) or "(no text)"  # link() wants it as read
    asked = f"asked by {escape(item.asker)} {ago(item.age)}"
    if item.closed:
        status = "closed by a facilitator"
    elif not item.open:
        status = f"answered by {escape(item.answered_by)}" if item.answered_by else "answered"
    elif item.replies:
        status = counted(item.replies, "reply", "replies")
    else:
        status = "no reply yet"
    return f"• {link(item.permalink, title)}, {asked} · {status}"


def button_value(question_id: int, which: str) -> str:
    """A Close/Reopen button's value: the question, and the list to show again."""
    return json.dumps({"q": question_id, "w": which})


def parse_button_value(value: str) -> tuple[int, str] | None:
    """The question and list a button names, or None for a damaged value."""
    try:
        data = json.loads(value)
        question_id, which = data.get("q"), data.get("w")
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None
    if type(question_id) is not int or which not in HEADINGS:
        return None
    return question_id, which


def _with_button(item: QuestionLine, which: str) -> Block:
    if item.open:
        action = button("Close", QUESTION_CLOSE, value=button_value(item.question_id, which))
    else:
        action = button("Reopen", QUESTION_REOPEN, value=button_value(item.question_id, which))
    return {**section(_line(item)), "accessory": action}


def render_questions(
    *,
    community_name: str,
    which: str,
    items: Sequence[QuestionLine],
    total: int,
    facilitator: bool = False,
    note: str = "",
) -> Message:
    """The list, or a line saying there is nothing in it and how questions get there; for a
    facilitator each question has Close (open ones) or Reopen (the others), and `note` says
    what their last click did."""
    name = to_mrkdwn(community_name)
    lead: list[Block] = [section(note)] if note else []
    if not items:
        text = EMPTY[which].format(name=name)
        return Message(text=text, blocks=[*lead, section(f":grey_question: {text}")])
    heading = HEADINGS[which].format(name=name) + f" ({total})"
    blocks: list[Block] = [*lead, section(f":grey_question: {heading}")]
    shown = items[:SHOWN]
    if facilitator:
        blocks += [_with_button(item, which) for item in shown]
    else:
        lines = [_line(item) for item in shown]
        for start in range(0, len(lines), LINES_PER_SECTION):
            blocks.append(section("\n".join(lines[start : start + LINES_PER_SECTION])))
    if total > len(shown):
        blocks.append(context(f"…and {total - len(shown)} more."))
    blocks.append(
        context("`/cop questions open`, `/cop questions answered` or `/cop questions mine`.")
    )
    return Message(text=f"{heading.replace('*', '')}", blocks=blocks)
