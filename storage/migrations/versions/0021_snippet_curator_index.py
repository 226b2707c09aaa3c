"""someone's saved knowledge is read from an index

App Home's "Your recent knowledge" lists what someone wrote and what they saved from
others' messages with a reaction or the shortcut. An index on (team, curator, created_at)
reads the latest saved ones in order, as ix_snippet_team_author_created does the written.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_snippet_team_curator_created", "snippet", ["team_id", "curator_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_snippet_team_curator_created", table_name="snippet")
