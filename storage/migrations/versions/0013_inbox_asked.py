"""the inbox remembers what a command or interaction asked

A command or interaction is recorded just before its 200. When copbot dies between the two,
the person sees Slack's error and asks again, and the first request would be handled again
as well: `asked` (a hash of who, where and what) lets the inbox see that the person did it
again themselves and leave the first one be.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("asked", sa.String(length=32), nullable=True))
    op.create_index("ix_inbox_team_id_asked", "inbox", ["team_id", "asked"])


def downgrade() -> None:
    op.drop_index("ix_inbox_team_id_asked", table_name="inbox")
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("asked")
