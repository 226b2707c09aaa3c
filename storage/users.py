"""The users.info cache: names for display, roles for permission checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from storage.clock import utcnow
from storage.models import UserProfile
from storage.upsert import insert_or_update

PROFILE_TTL = timedelta(hours=12)


def cached_profile(
    *, session: Session, team_id: str, user_id: str, now: datetime | None = None
) -> UserProfile | None:
    """The cached profile of `user_id` if it is younger than the TTL.

    Args:
        session: the open session.
        team_id: the workspace.
        user_id: whose profile.
        now: the current time, for tests.
    """
    profile = stored_profile(session=session, team_id=team_id, user_id=user_id)
    return profile if profile is not None and is_fresh(profile, now=now) else None


def stored_profile(*, session: Session, team_id: str, user_id: str) -> UserProfile | None:
    """Someone's stored profile whatever its age (their mute flag is kept there too).

    Args:
        session: the open session.
        team_id: the workspace.
        user_id: whose profile.
    """
    found = {"team_id": team_id, "user_id": user_id}
    return session.exec(_PROFILE, params=found).first()


def is_fresh(profile: UserProfile, *, now: datetime | None = None) -> bool:
    """Whether a stored profile is younger than the TTL (else users.info is asked again)."""
    return profile.fetched_at >= (now or utcnow()) - PROFILE_TTL


def cached_profiles(
    *, session: Session, team_id: str, user_ids: Iterable[str], now: datetime | None = None
) -> dict[str, UserProfile]:
    """The cached profiles younger than the TTL of several people, in one query; those with
    none (or an older one) are left out.

    Args:
        session: the open session.
        team_id: the workspace.
        user_ids: whose profiles.
        now: the current time, for tests.
    """
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return {}
    cutoff = (now or utcnow()) - PROFILE_TTL
    found = {"team_id": team_id, "user_ids": wanted}
    return {p.user_id: p for p in session.exec(_PROFILES, params=found) if p.fetched_at >= cutoff}


# Read for nearly every request (names, roles), so built once.
_PROFILE = select(UserProfile).where(
    UserProfile.team_id == bindparam("team_id"), UserProfile.user_id == bindparam("user_id")
)
_PROFILES = select(UserProfile).where(
    UserProfile.team_id == bindparam("team_id"),
    col(UserProfile.user_id).in_(bindparam("user_ids", expanding=True)),
)


def save_profile(*, session: Session, team_id: str, user: dict[str, object]) -> UserProfile:
    """Store (or refresh) what users.info said about a user.

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        user: the `user` object of a users.info answer.
    """
    user_id = str(user["id"])
    raw_profile = user.get("profile")
    details: dict[str, object] = raw_profile if isinstance(raw_profile, dict) else {}
    handle = str(user.get("name") or "")
    # an admin of another workspace (a Slack Connect partner) is no admin here
    here = _of_workspace(user, team_id)
    insert_or_update(  # one statement: two look-ups of one person at once both land
        session=session,
        model=UserProfile,
        keys=("team_id", "user_id"),
        values={
            "team_id": team_id,
            "user_id": user_id,
            "name": str(details.get("real_name") or user.get("real_name") or handle)[:200],
            "display_name": str(details.get("display_name") or "")[:200],
            "handle": handle[:200],
            "is_bot": bool(user.get("is_bot")) or user_id == "USLACKBOT",
            "is_admin": here and bool(user.get("is_admin")),
            "is_owner": here and bool(user.get("is_owner") or user.get("is_primary_owner")),
            "deleted": bool(user.get("deleted")),
            "tz": str(user.get("tz") or "")[:64],
            "fetched_at": utcnow(),
        },
    )
    session.commit()
    query = select(UserProfile).where(
        UserProfile.team_id == team_id, UserProfile.user_id == user_id
    )
    # one read, which also overwrites a stale copy this session may already hold
    return session.exec(query.execution_options(populate_existing=True)).one()


def _of_workspace(user: dict[str, object], team_id: str) -> bool:
    """Whether a users.info `user` belongs to workspace `team_id`: their own team, or one of
    their Enterprise Grid teams (a user object without a team is taken as ours)."""
    home = user.get("team_id")
    if not home or home == team_id:
        return True
    grid = user.get("enterprise_user")
    teams = grid.get("teams") if isinstance(grid, dict) else None
    return isinstance(teams, list) and team_id in teams


def profiles_named(*, session: Session, team_id: str, name: str) -> list[UserProfile]:
    """Cached people whose handle or display name is `name` (case-insensitive).

    Args:
        session: the open session.
        team_id: the workspace.
        name: what someone typed after "@".
    """
    wanted = name.casefold()
    query = select(UserProfile).where(UserProfile.team_id == team_id)
    return [
        p
        for p in session.exec(query)
        if wanted in (p.handle.casefold(), p.display_name.casefold(), p.name.casefold())
        or wanted == p.name.casefold().replace(" ", ".")
    ]


def set_muted(*, session: Session, team_id: str, user_id: str, muted: bool) -> bool:
    """Record someone's wish for no welcomes and no DMs; False if nothing changed.

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        user_id: who.
        muted: True to mute copbot, False to hear from it again.
    """
    found = {"team_id": team_id, "user_id": user_id}
    profile = session.exec(_PROFILE, params=found).first()
    if profile is None:
        # not looked up yet: a stale fetched_at makes the next look-up refresh the rest
        profile = UserProfile(
            team_id=team_id, user_id=user_id, fetched_at=utcnow() - 2 * PROFILE_TTL
        )
    if profile.muted == muted:
        return False
    profile.muted = muted
    session.add(profile)
    session.commit()
    return True


def is_muted(*, session: Session, team_id: str, user_id: str) -> bool:
    """Whether someone muted copbot."""
    found = {"team_id": team_id, "user_id": user_id}
    return bool(session.connection().execute(_MUTED, found).scalar())


_MUTED = select(UserProfile.muted).where(
    UserProfile.team_id == bindparam("team_id"), UserProfile.user_id == bindparam("user_id")
)
