"""the inbox: events are recorded, body and all, before copbot answers Slack

`inbox` replaces `event_receipt`. An event is written with its envelope and status
"pending" before the 200 goes back; it becomes "done" once its listener has finished, and a
pending event whose lease ran out (its process died, or the database failed during the work)
is handled again by any copbot process. Receipts of the last day become done rows, so a
re-delivery of one of them is still skipped.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", storage.types.UTCDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("done_at", storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_inbox_event_id")),
    )
    op.create_index("ix_inbox_status_lease_until", "inbox", ["status", "lease_until"])
    op.create_index("ix_inbox_received_at", "inbox", ["received_at"])
    op.execute(
        "INSERT INTO inbox (event_id, team_id, body, status, attempts, received_at, done_at)"
        " SELECT event_id, team_id, '', 'done', 1, received_at, received_at FROM event_receipt"
    )
    op.drop_index("ix_event_receipt_received_at", table_name="event_receipt")
    op.drop_table("event_receipt")


def downgrade() -> None:
    op.create_table(
        "event_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_receipt")),
        sa.UniqueConstraint("event_id", name=op.f("uq_event_receipt_event_id")),
    )
    op.create_index("ix_event_receipt_received_at", "event_receipt", ["received_at"])
    op.execute(
        "INSERT INTO event_receipt (event_id, team_id, received_at)"
        " SELECT event_id, team_id, received_at FROM inbox"
    )
    op.drop_index("ix_inbox_received_at", table_name="inbox")
    op.drop_index("ix_inbox_status_lease_until", table_name="inbox")
    op.drop_table("inbox")
