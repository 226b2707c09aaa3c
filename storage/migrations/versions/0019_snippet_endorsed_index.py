"""a community's most endorsed knowledge is read from an index

App Home shows each of someone's communities with its three most endorsed snippets. Read as
one window over all their confirmed snippets, that sorted thousands of rows; with an index on
(community, status, endorsements, id) each community's three are its first three entries.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_snippet_community_status_endorsed",
        "snippet",
        ["community_id", "status", "endorsements", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_snippet_community_status_endorsed", table_name="snippet")
