"""someone's latest snippets are read in order from an index

App Home shows a person's five latest snippets; with only an index on the author SQLite sorted
all of a prolific author's snippets on every open. An index on (team, author, created) reads the
five newest directly.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_snippet_team_author_created", "snippet", ["team_id", "author_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_snippet_team_author_created", table_name="snippet")
