"""A community's settings as facilitators change them: by `/cop settings <key> <value>` or in
the form `/cop settings` opens. Both check values here and say what changed."""

from __future__ import annotations

import re

from sqlmodel import Session

from bot.blocks.settings import MAX_QUOTA, MAX_REACTIONS, SettingsValues, changes_text
from bot.errors import CopError
from storage import communities
from storage.models import Community

_EMOJI = re.compile(r"^:?([a-z0-9_+'-]{1,60}):?$")


def values_of(community: Community) -> SettingsValues:
    return SettingsValues(
        knowledge_emojis=tuple(community.knowledge_emojis),
        reactions_required=community.reactions_required,
        require_confirmation=community.require_confirmation,
        kudos_emojis=tuple(community.kudos_emojis),
        kudos_daily_quota=community.kudos_daily_quota,
        questions_enabled=community.questions_enabled,
    )


def parse_emoji(words: list[str]) -> list[str]:
    """ ":bulb: books" → ["bulb", "books"]; CopError for anything that is not an emoji name."""
    names = []
    for word in words:
        match = _EMOJI.match(word.strip().lower())
        if not match:
            raise CopError(f"`{word[:40]}` isn't an emoji name: write them like :bulb:.")
        names.append(match.group(1).split("::")[0])
    if not 1 <= len(names) <= 5:
        raise CopError("Give between one and five emoji, like :bulb: :books:.")
    return list(dict.fromkeys(names))


def whole_number(text: str, *, what: str, low: int, high: int) -> int:
    """`text` as a whole number from `low` to `high`; CopError saying so otherwise."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise CopError(f"{what} must be a whole number from {low} to {high}.")
    return int(text)


def knowledge_emoji(words: list[str], values: SettingsValues) -> list[str]:
    names = parse_emoji(words)
    clash = set(names) & set(values.kudos_emojis)
    if clash:
        raise CopError(f":{sorted(clash)[0]}: already gives kudos here: pick another emoji.")
    return names


def kudos_emoji(words: list[str], values: SettingsValues) -> list[str]:
    names = parse_emoji(words)
    clash = set(names) & set(values.knowledge_emojis)
    if clash:
        raise CopError(f":{sorted(clash)[0]}: already saves knowledge here: pick another emoji.")
    return names


def reactions(text: str) -> int:
    return whole_number(text, what="Reactions needed", low=1, high=MAX_REACTIONS)


def kudos_quota(text: str) -> int:
    return whole_number(text, what="The daily kudos quota", low=1, high=MAX_QUOTA)


def save(session: Session, community: Community, after: SettingsValues) -> list[str]:
    """Store the settings; one line per change ("Reactions needed: 1 → 2")."""
    before = values_of(community)
    changed = changes_text(before, after)
    if changed:
        communities.update_settings(
            session=session,
            community=community,
            knowledge_emoji=",".join(after.knowledge_emojis),
            reactions_required=after.reactions_required,
            require_confirmation=after.require_confirmation,
            kudos_emoji=",".join(after.kudos_emojis),
            kudos_daily_quota=after.kudos_daily_quota,
            questions_enabled=after.questions_enabled,
        )
    return changed
