"""A cache of users.info answers: names for rendering, roles for permission checks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import USER_ID_LEN, created_field, pk_field, team_field


class UserProfile(SQLModel, table=True):
    """What copbot last learned about a user from users.info."""

    __tablename__ = "user_profile"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: int | None = pk_field()
    team_id: str = team_field()
    user_id: str = Field(max_length=USER_ID_LEN)
    # as Slack shows people: their display name if they chose one, else their real name
    name: str = Field(default="", max_length=200)  # the real name (or, lacking one, the handle)
    display_name: str = Field(default="", max_length=200)
    handle: str = Field(default="", max_length=200)  # users.info's `name`: what follows an @
    is_bot: bool = Field(default=False)
    is_admin: bool = Field(default=False)
    is_owner: bool = Field(default=False)
    deleted: bool = Field(default=False)
    tz: str = Field(default="", max_length=64)
    # the person's own choice (/cop mute), kept when the cached profile is refreshed
    muted: bool = Field(default=False)
    fetched_at: datetime = created_field()

    @property
    def shown_name(self) -> str:
        """The name Slack shows for this person."""
        return self.display_name or self.name or self.handle
