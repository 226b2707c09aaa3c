"""Who may do facilitator things: the community's facilitators and workspace admins/owners."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from slack_sdk import WebClient
from sqlmodel import Session

from bot.errors import CopError
from bot.lookups import user_profile
from storage import communities, users
from storage.models import ROLE_FACILITATOR, Community, UserProfile


def is_facilitator(session: Session, client: WebClient, community: Community, user_id: str) -> bool:
    """True for the community's facilitators and for workspace admins and owners."""
    assert community.id is not None
    if user_id in communities.facilitator_ids(session=session, community_id=community.id):
        return True
    profile = user_profile(client, session, team_id=community.team_id, user_id=user_id)
    return bool(profile and (profile.is_admin or profile.is_owner))


def facilitating(
    session: Session,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    roles: Mapping[int, str],
    profile: UserProfile | None = None,
) -> set[int]:
    """Which of someone's communities (id -> their role there) they may facilitate, as
    is_facilitator says for each, with their profile read at most once for them all (not
    at all when the caller gives its fresh copy as `profile`)."""
    facilitated = {c for c, role in roles.items() if role == ROLE_FACILITATOR}
    if len(facilitated) == len(roles):
        return facilitated
    profile = profile or user_profile(client, session, team_id=team_id, user_id=user_id)
    return set(roles) if profile and (profile.is_admin or profile.is_owner) else facilitated


def facilitators_among(
    session: Session, client: WebClient, community: Community, user_ids: Iterable[str]
) -> set[str]:
    """Which of `user_ids` are facilitators of `community` (as is_facilitator says for each),
    with the roster and their cached profiles read once for them all."""
    assert community.id is not None
    wanted = set(user_ids)
    found = wanted & set(communities.facilitator_ids(session=session, community_id=community.id))
    others = wanted - found
    if not others:
        return found
    cached = users.cached_profiles(session=session, team_id=community.team_id, user_ids=others)
    for user_id in others:
        profile = cached.get(user_id) or user_profile(
            client, session, team_id=community.team_id, user_id=user_id
        )
        if profile and (profile.is_admin or profile.is_owner):
            found.add(user_id)
    return found


def require_facilitator(
    session: Session, client: WebClient, community: Community, user_id: str, *, what: str
) -> None:
    """Refuse a facilitator-only action, in plain words, to anyone else.

    Raises:
        CopError: `user_id` is not a facilitator of the community.
    """
    if not is_facilitator(session, client, community, user_id):
        raise CopError(
            f"Only facilitators of *{community.name}* can {what}. `/cop info` shows who they are."
        )
