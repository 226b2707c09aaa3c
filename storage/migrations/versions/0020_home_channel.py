"""a community's home channel, chosen

A community may live in several channels; its weekly posts go to one, its home. That was its
first channel; facilitators can now choose it (`/cop channel home #channel`). Each community's
first channel is its home to begin with.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "community_channel",
        sa.Column("is_home", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(
        "UPDATE community_channel SET is_home = (id = (SELECT min(c2.id) FROM community_channel"
        " c2 WHERE c2.community_id = community_channel.community_id))"
    )
    with op.batch_alter_table("community_channel", schema=None) as batch_op:
        batch_op.alter_column("is_home", existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("community_channel", schema=None) as batch_op:
        batch_op.drop_column("is_home")
