"""one community per channel: a unique constraint, not a check before the insert

Two `/cop create` at once in one channel both passed the check and bound two communities to
it. `community_channel` is now unique on (team_id, channel_id). Where a channel was bound
twice, the oldest binding stays; a community left without a channel has its scheduled posts
paused (as when its channel is deleted) until a facilitator runs `/cop create` elsewhere.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    doubled = bind.execute(
        sa.text(
            "SELECT id, community_id FROM community_channel c WHERE EXISTS ("
            " SELECT 1 FROM community_channel o WHERE o.team_id = c.team_id"
            " AND o.channel_id = c.channel_id AND o.id < c.id)"
        )
    ).all()
    for binding_id, community_id in doubled:
        bind.execute(sa.text("DELETE FROM community_channel WHERE id = :id"), {"id": binding_id})
        bind.execute(
            sa.text(
                "UPDATE community SET paused = :yes, paused_reason = :why"
                " WHERE id = :id AND NOT EXISTS ("
                " SELECT 1 FROM community_channel WHERE community_id = :id)"
            ),
            {"yes": True, "why": "its channel hosts another community", "id": community_id},
        )
    with op.batch_alter_table("community_channel", schema=None) as batch_op:
        batch_op.drop_constraint("uq_community_channel_community_id_channel_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_community_channel_team_id_channel_id"), ["team_id", "channel_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("community_channel", schema=None) as batch_op:
        batch_op.drop_constraint("uq_community_channel_team_id_channel_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_community_channel_community_id_channel_id"),
            ["community_id", "channel_id"],
        )
