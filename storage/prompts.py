"""A community's prompt bank: custom prompts first, then the built-in ones, never repeating."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import literal, tuple_
from sqlmodel import Session, col, func, select

from storage.clock import utcnow
from storage.default_prompts import DEFAULT_PROMPTS
from storage.locks import write_lock
from storage.markup import escape
from storage.models import Community, Prompt

MAX_PROMPT_LENGTH = 1000


def seed_default_prompts(*, session: Session, community: Community) -> None:
    """Copy the built-in bank into a new community's bank (it can then remove any of them).

    Args:
        session: the open session (the caller commits).
        community: the community, already flushed so it has an id.
    """
    for number, text in enumerate(DEFAULT_PROMPTS, start=1):
        session.add(
            Prompt(
                team_id=community.team_id,
                community_id=community.id or 0,
                number=number,
                text=escape(text),  # written here, raw: stored as markup like every prompt
                is_default=True,
                created_at=community.created_at,
            )
        )


def add_prompt(*, session: Session, community: Community, text: str, created_by: str) -> Prompt:
    """Add a custom prompt to the bank, numbered after the community's last one (two added
    at once take the next two numbers: the bank is locked while one is numbered).

    Args:
        session: the open session (committed here).
        community: the community.
        text: the prompt, already validated.
        created_by: the facilitator who added it.
    """
    write_lock(session, f"prompts {community.id}")
    last = session.exec(
        select(func.max(Prompt.number)).where(Prompt.community_id == community.id)
    ).one()
    prompt = Prompt(
        team_id=community.team_id,
        community_id=community.id or 0,
        number=(last or 0) + 1,
        text=text.replace("\x00", ""),
        created_by=created_by,
    )
    session.add(prompt)
    session.commit()
    return prompt


def list_prompts(*, session: Session, community_id: int) -> list[Prompt]:
    """The bank in the order prompts will be used: least used, custom before built-in."""
    query = (
        select(Prompt)
        .where(Prompt.community_id == community_id)
        .order_by(col(Prompt.times_used), col(Prompt.is_default), col(Prompt.id))
    )
    return list(session.exec(query))


def position_of(*, session: Session, prompt: Prompt) -> int:
    """Where `prompt` stands in the order of list_prompts: 1 for the next one posted."""
    before = session.exec(
        select(func.count())
        .select_from(Prompt)
        .where(
            Prompt.community_id == prompt.community_id,
            tuple_(col(Prompt.times_used), col(Prompt.is_default), col(Prompt.id))
            < tuple_(literal(prompt.times_used), literal(prompt.is_default), literal(prompt.id)),
        )
    ).one()
    return int(before) + 1


def remove_prompt(*, session: Session, community_id: int, number: int) -> Prompt | None:
    """Delete a prompt from the bank; returns it, or None if the community has no such prompt.

    Args:
        session: the open session (committed here).
        community_id: the community.
        number: the prompt's number as `/cop prompt list` shows it.
    """
    prompt = session.exec(
        select(Prompt).where(Prompt.community_id == community_id, Prompt.number == number)
    ).first()
    if prompt is not None:
        session.delete(prompt)
        session.commit()
    return prompt


def get_prompt(*, session: Session, prompt_id: int) -> Prompt | None:
    """A prompt by id."""
    return session.get(Prompt, prompt_id)


def next_prompt(*, session: Session, community: Community) -> Prompt | None:
    """The prompt to post next: unused ones first (custom, then built-in), then round again.

    Args:
        session: the open session.
        community: the community.
    """
    assert community.id is not None
    prompts = list_prompts(session=session, community_id=community.id)
    return prompts[0] if prompts else None


def mark_used(*, session: Session, prompt: Prompt, when: datetime | None = None) -> Prompt:
    """Record that a prompt was posted.

    Args:
        session: the open session (committed here).
        prompt: the prompt.
        when: when it was posted.
    """
    prompt.times_used += 1
    prompt.last_used_at = when or utcnow()
    session.add(prompt)
    session.commit()
    return prompt
