"""an index covering what search reads of each matching snippet

Search joins each full-text match (up to RANK_WINDOW of them) to its snippet for the
workspace, status and privacy filters and the endorsement count. Read from the table,
that is one page of full snippet rows per match; this index keeps those columns together,
keyed by id.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_snippet_rank", "snippet", ["id", "team_id", "status", "is_private", "endorsements"]
    )


def downgrade() -> None:
    op.drop_index("ix_snippet_rank", table_name="snippet")
