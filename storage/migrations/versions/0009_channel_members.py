"""channel members: who may see a private channel's knowledge is Slack's to say

`channel_member` keeps each community channel's membership as conversations.members reports
it, and `community_channel.members_synced_at` when it was last read; until a channel's
members are first read (on the next search that needs them) nobody but its own mentions and
welcomes sees its private knowledge. Before, copbot's own member table decided, and a
facilitator added from outside a private channel could search it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_member")),
        sa.UniqueConstraint(
            "team_id",
            "channel_id",
            "user_id",
            name=op.f("uq_channel_member_team_id_channel_id_user_id"),
        ),
    )
    op.create_index(
        "ix_channel_member_team_id_user_id", "channel_member", ["team_id", "user_id"], unique=False
    )
    with op.batch_alter_table("community_channel", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("members_synced_at", storage.types.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("community_channel", schema=None) as batch_op:
        batch_op.drop_column("members_synced_at")
    op.drop_index("ix_channel_member_team_id_user_id", table_name="channel_member")
    op.drop_table("channel_member")
