"""Communities, their channels and their members."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.limits import COMMUNITY_NAME_COLUMN
from storage.models.base import (
    CHANNEL_ID_LEN,
    TEAM_ID_LEN,
    USER_ID_LEN,
    community_fk,
    created_field,
    pk_field,
    team_field,
    when_field,
)

ROLE_MEMBER = "member"
ROLE_FACILITATOR = "facilitator"
DEFAULT_KNOWLEDGE_EMOJI = "bulb,books"
DEFAULT_KUDOS_EMOJI = "raised_hands"


class Community(SQLModel, table=True):
    """A community of practice: its domain, settings and state."""

    __tablename__ = "community"
    __table_args__ = (UniqueConstraint("team_id", "name_key"),)

    id: int | None = pk_field()
    team_id: str = team_field()
    # markup (storage/markup.py), as every text people typed
    name: str = Field(max_length=COMMUNITY_NAME_COLUMN)
    # casefolded name, so "Python Guild" and "python guild" cannot both exist
    name_key: str = Field(max_length=COMMUNITY_NAME_COLUMN)
    domain: str = Field(default="", sa_column=Column(Text, nullable=False))
    timezone: str = Field(default="UTC", max_length=64)
    knowledge_emoji: str = Field(default=DEFAULT_KNOWLEDGE_EMOJI, max_length=200)
    kudos_emoji: str = Field(default=DEFAULT_KUDOS_EMOJI, max_length=200)
    reactions_required: int = Field(default=1)
    require_confirmation: bool = Field(default=False)
    kudos_daily_quota: int = Field(default=10)
    questions_enabled: bool = Field(default=True)  # question detection (bot.questions)
    paused: bool = Field(default=False)
    paused_reason: str | None = Field(default=None, max_length=500)
    paused_at: datetime | None = when_field()
    created_by: str = Field(max_length=USER_ID_LEN)
    created_at: datetime = created_field()

    @property
    def knowledge_emojis(self) -> list[str]:
        return [e for e in self.knowledge_emoji.split(",") if e]

    @property
    def kudos_emojis(self) -> list[str]:
        return [e for e in self.kudos_emoji.split(",") if e]


class CommunityChannel(SQLModel, table=True):
    """A channel bound to a community (a community has one or more)."""

    __tablename__ = "community_channel"
    # one community per channel
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: int | None = pk_field()
    team_id: str = team_field()
    community_id: int = community_fk()
    channel_id: str = Field(sa_column=Column(String(CHANNEL_ID_LEN), nullable=False, index=True))
    channel_name: str = Field(default="", max_length=80)
    is_private: bool = Field(default=False)
    # where the community's weekly posts go (one channel of each community)
    is_home: bool = Field(default=False)
    added_by: str = Field(max_length=USER_ID_LEN)
    added_at: datetime = created_field()
    # when its members (ChannelMember) were last read from Slack's conversations.members
    members_synced_at: datetime | None = when_field()


class ChannelMember(SQLModel, table=True):
    """Someone in a community's channel as Slack reports it: who may see its private knowledge.

    Not a community role: facilitators and members are copbot's; this is Slack's own fact,
    read with conversations.members and kept current by member_joined/left_channel.
    """

    __tablename__ = "channel_member"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "user_id"),
        Index("ix_channel_member_team_id_user_id", "team_id", "user_id"),
    )

    id: int | None = pk_field()
    team_id: str = Field(max_length=TEAM_ID_LEN)
    channel_id: str = Field(max_length=CHANNEL_ID_LEN)
    user_id: str = Field(max_length=USER_ID_LEN)


class Member(SQLModel, table=True):
    """A person in a community; left_at is set when they leave (the row stays for history)."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: int | None = pk_field()
    team_id: str = team_field()
    community_id: int = community_fk()
    user_id: str = Field(sa_column=Column(String(USER_ID_LEN), nullable=False, index=True))
    role: str = Field(default=ROLE_MEMBER, max_length=16)
    joined_at: datetime = created_field()
    left_at: datetime | None = when_field()
    # a facilitator's last note that knowledge waits for them (at most one a day)
    pending_noted_at: datetime | None = when_field()

    @property
    def active(self) -> bool:
        return self.left_at is None
