"""Discussion prompts in a community's bank."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import (
    USER_ID_LEN,
    community_fk,
    created_field,
    pk_field,
    team_field,
    when_field,
)


class Prompt(SQLModel, table=True):
    """A prompt in a community's bank; built-in prompts are copied in with is_default set."""

    __tablename__ = "prompt"
    __table_args__ = (UniqueConstraint("community_id", "number"),)

    id: int | None = pk_field()
    team_id: str = team_field()
    community_id: int = community_fk()
    # its number within the community (1, 2, 3 … as added): what facilitators see and type
    number: int = Field(sa_column=Column(Integer, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    is_default: bool = Field(default=False)
    created_by: str = Field(default="", max_length=USER_ID_LEN)
    created_at: datetime = created_field()
    last_used_at: datetime | None = when_field()
    times_used: int = Field(default=0)
