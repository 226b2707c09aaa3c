"""the inbox knows each request's lane, so work left there is taken people's first

Work processes take what the door left in the inbox lane by lane: what a person waits to see
(commands, buttons, App Home) before what nobody waits on (messages, reactions), however many
of those a flood left ahead of it. Rows from before this revision are background work.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(
            sa.Column("lane", sa.String(length=16), nullable=False, server_default="background")
        )
    op.create_index("ix_inbox_status_lane_lease_until", "inbox", ["status", "lane", "lease_until"])


def downgrade() -> None:
    op.drop_index("ix_inbox_status_lane_lease_until", table_name="inbox")
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("lane")
