"""who rejected a snippet that waited for confirmation

A facilitator can now reject pending knowledge instead of only confirming it. The snippet is
withdrawn and stays so whatever reactions follow; rejected_by says who decided (and that it
was a decision, not a deleted message).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("snippet", sa.Column("rejected_by", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.drop_column("rejected_by")
