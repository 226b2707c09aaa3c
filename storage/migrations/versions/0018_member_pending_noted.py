"""when each facilitator was last told that knowledge waits for confirmation

Facilitators get at most one private note a day about knowledge waiting for them; the moment
of the last one is kept on their membership, and taken with one UPDATE so two captures at
once send one note.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("member", sa.Column("pending_noted_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("pending_noted_at")
