"""The kinds of scheduled post: one definition each, which everything else reads.

A kind is its name in the ledger, the label people read, the words facilitators type for it
(`/cop schedule digest fri 16:00`), its default weekly slot, how its post is drafted (the job,
which renders with bot/blocks), and what is recorded once Slack has it. Adding a kind is one
PostKind here plus its job and renderer; tests/scheduler/test_kinds.py names what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from scheduler.jobs import Draft, draft_digest, draft_kudos_summary, draft_prompt, prompt_posted
from scheduler.periods import Slot
from storage.models import Community
from storage.models.schedule import KIND_DIGEST, KIND_KUDOS, KIND_PROMPT

Drafter = Callable[..., Draft]


def _nothing_to_record(session: Session, draft: Draft, now: datetime) -> None:
    return None


@dataclass(frozen=True)
class PostKind:
    """One kind of weekly post."""

    name: str
    label: str
    words: tuple[str, ...]
    default_slot: Slot
    draft: Drafter
    posted: Callable[[Session, Draft, datetime], None] = _nothing_to_record

    def draft_for(
        self, client: WebClient, session: Session, *, community: Community, now: datetime
    ) -> Draft:
        """What this kind would post in `community` at `now`."""
        return self.draft(client, session, community=community, now=now)


PROMPT = PostKind(
    name=KIND_PROMPT,
    label="Discussion prompt",
    words=("prompt", "prompts", "question"),
    default_slot=Slot(weekday=0, minute=10 * 60),
    draft=draft_prompt,
    posted=prompt_posted,
)
DIGEST = PostKind(
    name=KIND_DIGEST,
    label="Weekly digest",
    words=("digest", "digests"),
    default_slot=Slot(weekday=4, minute=16 * 60),
    draft=draft_digest,
)
KUDOS = PostKind(
    name=KIND_KUDOS,
    label="Kudos summary",
    words=("kudos", "summary", "kudos-summary"),
    default_slot=Slot(weekday=4, minute=16 * 60 + 5),
    draft=draft_kudos_summary,
)

KINDS: tuple[PostKind, ...] = (PROMPT, DIGEST, KUDOS)
BY_NAME = {kind.name: kind for kind in KINDS}
BY_WORD = {word: kind for kind in KINDS for word in kind.words}


def kind_named(name: str) -> PostKind | None:
    """The kind stored in the ledger as `name`, if copbot still has it."""
    return BY_NAME.get(name)


def default_slots() -> dict[str, tuple[int, int]]:
    """Each kind's default (weekday, minute), for a new community's schedule."""
    return {k.name: (k.default_slot.weekday, k.default_slot.minute) for k in KINDS}
