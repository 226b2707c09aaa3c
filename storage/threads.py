"""A thread kept as one snippet: its text, and who wrote each of its reply lines.

A thread snippet's text is markup: the root message, a blank line, then one line per reply,
in the thread's order, "— Name: reply" (the name as Slack showed it when the thread was
composed). Beside the text, each line is kept as a `Reply` (SnippetReply rows, written in
the same transaction as the text), with the Slack user id and ts of the message it came
from. So a person's words can be taken out of other people's threads (/cop forget me)
without guessing from names, which change and which two people can share: their line then
reads "— (removed)", and stays so whenever copbot reads the thread again.

It is pure (no database, no Slack), like storage/markup.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from storage.markup import escape

REMOVED = "(removed)"
# where the replies begin; the root can only be told from them by the rows kept beside it
_REPLIES = "\n\n— "


@dataclass(frozen=True)
class Reply:
    """One reply line of a thread snippet.

    Attributes:
        ts: the reply's Slack ts ("" when unknown: lines recovered by migration 0008).
        user_id: who wrote it ("" when unknown, or once removed).
        name: the name shown on the line, raw ("" once removed).
        text: the reply's markup ("" once removed).
        removed: its author asked copbot to forget them; the line reads "— (removed)".
    """

    ts: str
    user_id: str
    name: str
    text: str
    removed: bool = False

    @property
    def line(self) -> str:
        """The line the reply is in the snippet's text."""
        if self.removed:
            return f"— {REMOVED}"
        return f"— {escape(self.name)}: {self.text.strip()}"


def removed(reply: Reply) -> Reply:
    """The reply with its author's words and name gone (its ts stays, so it stays removed)."""
    return replace(reply, user_id="", name="", text="", removed=True)


def kept(replies: Sequence[Reply]) -> list[Reply]:
    """The replies that make a line: removed ones, and those with any text."""
    return [r for r in replies if r.removed or r.text.strip()]


def tail(replies: Sequence[Reply]) -> str:
    """What follows the root in a thread snippet's text ("" without replies)."""
    lines = [r.line for r in kept(replies)]
    return "\n\n" + "\n".join(lines) if lines else ""


def compose_thread(root: str, replies: Sequence[Reply]) -> str:
    """A thread as one snippet text (markup): the root, then one line per reply.

    Args:
        root: the root message's markup.
        replies: its replies in thread order (names raw, texts markup).
    """
    return root.strip() + tail(replies)


def root_of(text: str, replies: Sequence[Reply]) -> str:
    """The root message of a thread snippet's text, given the replies kept with it.

    Without rows that match the text (a thread migration 0008 could not read back), the root
    is taken to end where the first reply line begins.
    """
    ending = tail(replies)
    if ending and text.endswith(ending):
        return text[: -len(ending)]
    return text.split(_REPLIES, 1)[0]
