"""Knowledge: snippets, their tags, reply lines and endorsements, and the recent-message cache."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.limits import SNIPPET_TITLE_COLUMN
from storage.models.base import (
    CHANNEL_ID_LEN,
    TEAM_ID_LEN,
    TS_LEN,
    USER_ID_LEN,
    community_fk,
    created_field,
    pk_field,
    team_field,
    when_field,
)

STATUS_PENDING = "pending"
STATUS_CONFIRMED = "confirmed"
STATUS_WITHDRAWN = "withdrawn"

# how a facilitator confirmed a snippet: by reacting (lasts while the reaction does), or on
# purpose (the Confirm button, or sharing or saving it themselves)
CONFIRMED_BY_REACTION = "reaction"
CONFIRMED_ON_PURPOSE = "purpose"

SOURCE_REACTION = "reaction"
SOURCE_COMMAND = "command"
SOURCE_SHORTCUT = "shortcut"
SOURCE_ANSWER = "answer"  # a question's thread, once its asker said it was answered


def _snippet_fk() -> Column[int]:
    return Column(Integer, ForeignKey("snippet.id", ondelete="CASCADE"), nullable=False, index=True)


class Snippet(SQLModel, table=True):
    """One piece of knowledge, captured from a message or shared directly."""

    __tablename__ = "snippet"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "message_ts"),
        Index("ix_snippet_community_status_created", "community_id", "status", "created_at"),
        # new knowledge of a period is what became confirmed in it (storage/stats.py)
        Index("ix_snippet_community_status_confirmed", "community_id", "status", "confirmed_at"),
        # what search reads of each full-text match, a few pages instead of a page a match
        Index("ix_snippet_rank", "id", "team_id", "status", "is_private", "endorsements"),
        # someone's latest snippets (App Home), read in order instead of sorted
        Index("ix_snippet_team_author_created", "team_id", "author_id", "created_at"),
        # and what they saved from others' messages
        Index("ix_snippet_team_curator_created", "team_id", "curator_id", "created_at"),
        # a community's most endorsed knowledge, read in order (App Home)
        Index(
            "ix_snippet_community_status_endorsed", "community_id", "status", "endorsements", "id"
        ),
    )

    id: int | None = pk_field()
    team_id: str = team_field()
    community_id: int = community_fk()
    channel_id: str = Field(max_length=CHANNEL_ID_LEN)
    message_ts: str = Field(max_length=TS_LEN)
    thread_ts: str | None = Field(default=None, max_length=TS_LEN)
    permalink: str = Field(default="", max_length=500)
    author_id: str = Field(sa_column=Column(String(USER_ID_LEN), nullable=False, index=True))
    curator_id: str = Field(max_length=USER_ID_LEN)
    title: str = Field(default="", max_length=SNIPPET_TITLE_COLUMN)
    text: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(default=SOURCE_REACTION, max_length=16)
    status: str = Field(default=STATUS_PENDING, max_length=16)
    is_private: bool = Field(default=False)
    # distinct people who endorsed it; always recomputed from Endorsement rows, never incremented
    endorsements: int = Field(default=0)
    # the facilitator who confirmed it, when the community requires confirmation, and how
    confirmed_by: str | None = Field(default=None, max_length=USER_ID_LEN)
    confirmed_via: str | None = Field(default=None, max_length=16)
    # the facilitator who rejected it while it waited: withdrawn for good
    rejected_by: str | None = Field(default=None, max_length=USER_ID_LEN)
    created_at: datetime = created_field()
    confirmed_at: datetime | None = when_field()
    edited_at: datetime | None = when_field()
    deleted_at: datetime | None = when_field()


class SnippetTag(SQLModel, table=True):
    """A tag on a snippet (from #hashtags or the save modal), lower-cased."""

    __tablename__ = "snippet_tag"
    __table_args__ = (Index("ix_snippet_tag_team_id_tag", "team_id", "tag"),)

    snippet_id: int = Field(
        sa_column=Column(Integer, ForeignKey("snippet.id", ondelete="CASCADE"), primary_key=True)
    )
    tag: str = Field(primary_key=True, max_length=64)
    team_id: str = team_field()


class SnippetReply(SQLModel, table=True):
    """One reply line of a thread snippet and who wrote it (storage/threads.py).

    Written with the snippet's text whenever it is composed (capture, edits), so the lines of
    one person can be taken out of other people's threads without matching names.
    """

    __tablename__ = "snippet_reply"
    __table_args__ = (
        UniqueConstraint("snippet_id", "position"),
        Index("ix_snippet_reply_team_id_user_id", "team_id", "user_id"),
    )

    id: int | None = pk_field()
    team_id: str = Field(max_length=TEAM_ID_LEN)
    snippet_id: int = Field(sa_column=_snippet_fk())
    # the line's place in the thread, from 0
    position: int
    # the reply's Slack ts and author; "" when unknown (lines recovered by migration 0008)
    ts: str = Field(default="", max_length=TS_LEN)
    user_id: str = Field(default="", max_length=USER_ID_LEN)
    # the name shown on the line, raw, and the reply's markup; "" once removed
    name: str = Field(default="", max_length=200)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    # its author asked to be forgotten: the line reads "— (removed)"
    removed: bool = Field(default=False)


class Endorsement(SQLModel, table=True):
    """One person's knowledge reaction (or explicit save) on a snippet."""

    __tablename__ = "endorsement"
    __table_args__ = (UniqueConstraint("snippet_id", "user_id", "emoji"),)

    id: int | None = pk_field()
    team_id: str = team_field()
    snippet_id: int = Field(sa_column=_snippet_fk())
    user_id: str = Field(sa_column=Column(String(USER_ID_LEN), nullable=False, index=True))
    # "" for an endorsement that came from a command or shortcut rather than a reaction
    emoji: str = Field(default="", max_length=100)
    created_at: datetime = created_field()


class ChannelMessage(SQLModel, table=True):
    """A recent message seen in a community channel.

    A bounded cache: purged after COP_MESSAGE_RETENTION_DAYS unless captured.
    """

    __tablename__ = "channel_message"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "ts"),
        Index("ix_channel_message_thread", "team_id", "channel_id", "thread_ts"),
        Index("ix_channel_message_posted_at", "posted_at"),
    )

    id: int | None = pk_field()
    team_id: str = team_field()
    channel_id: str = Field(max_length=CHANNEL_ID_LEN)
    ts: str = Field(max_length=TS_LEN)
    thread_ts: str | None = Field(default=None, max_length=TS_LEN)
    user_id: str = Field(default="", max_length=USER_ID_LEN)
    text: str = Field(sa_column=Column(Text, nullable=False))
    posted_at: datetime = created_field()
    edited_at: datetime | None = when_field()
    deleted_at: datetime | None = when_field()
    received_at: datetime = created_field()
