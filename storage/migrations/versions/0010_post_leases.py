"""post leases: a claimed scheduled post whose process died is taken over, not lost

`scheduled_post.lease_until` says until when the claimant answers for the post. A claim whose
lease has run out (its tick was killed between claiming the post and recording what Slack
said) is taken over by any later tick, which first looks in the channel for the post (by its
message metadata) and records it instead of posting again. Rows claimed before this
migration get no lease: they are taken over by the next tick.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduled_post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", storage.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scheduled_post", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
