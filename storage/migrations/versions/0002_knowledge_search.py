"""knowledge search: endorsement counts, confirmation, and the full-text index

SQLite gets an FTS5 table (porter stemming, prefix indexes); PostgreSQL a tsvector table with
a GIN index. Both are kept by storage.search and left out of the model comparison.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("endorsements", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("confirmed_by", sa.String(length=32), nullable=True))
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.alter_column("endorsements", server_default=None)

    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE snippet_fts USING fts5("
            "title, body, tags, "
            "tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')"
        )
    else:
        op.execute(
            "CREATE TABLE snippet_search ("
            "snippet_id INTEGER PRIMARY KEY REFERENCES snippet(id) ON DELETE CASCADE, "
            "document TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_snippet_search_document ON snippet_search USING GIN (document)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE snippet_fts")
    else:
        op.execute("DROP TABLE snippet_search")
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.drop_column("confirmed_by")
        batch_op.drop_column("endorsements")
