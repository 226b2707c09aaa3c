"""people facts: who wrote each line of a thread snippet; new knowledge dated by confirmation

- `snippet_reply` keeps, beside a thread snippet's text, one row per reply line ("— Name:
  reply") with the Slack ts and user id of the reply it came from, so /cop forget me can
  take a person's replies out of other people's threads by id, never by name.
- Existing thread snippets get their rows from the message cache: each line of the text is
  read back, and given the author and ts of the cached reply of that thread with the same
  text, in thread order.

  What cannot be recovered: replies no longer in the cache (it keeps replies for
  COP_MESSAGE_RETENTION_DAYS, 30 days by default, even in captured threads) have lines with
  no known author, which /cop forget me cannot take out until copbot reads the thread again
  from Slack (on any later edit or deletion in it), which records who wrote each. A thread
  none of whose replies is cached any more gets no rows, nor one whose text does not read
  back exactly into its root and lines (a reply holding a line that itself starts with
  "— ", or a name holding ": ").
- A snippet is new knowledge in the week it became confirmed: an index serves that
  question, and a confirmed snippet with no confirmation time (none is expected: capture has
  always set it) is dated by its capture.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
# how composed threads read as of 0007 (bot/text.py compose_thread then): the root, a blank
# line, then "— Name: reply" per reply, with the name escaped as markup
REPLIES = "\n\n— "
LINE = "\n— "


def upgrade() -> None:
    op.create_table(
        "snippet_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("snippet_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snippet_id"],
            ["snippet.id"],
            name=op.f("fk_snippet_reply_snippet_id_snippet"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snippet_reply")),
        sa.UniqueConstraint(
            "snippet_id", "position", name=op.f("uq_snippet_reply_snippet_id_position")
        ),
    )
    with op.batch_alter_table("snippet_reply", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_snippet_reply_snippet_id"), ["snippet_id"], unique=False
        )
        batch_op.create_index(
            "ix_snippet_reply_team_id_user_id", ["team_id", "user_id"], unique=False
        )
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.create_index(
            "ix_snippet_community_status_confirmed",
            ["community_id", "status", "confirmed_at"],
            unique=False,
        )
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE snippet SET confirmed_at = created_at"
            " WHERE status = 'confirmed' AND confirmed_at IS NULL"
        )
    )
    _fill_replies(conn)


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _lines(text: str) -> list[tuple[str, str]] | None:
    """The (raw name, reply markup) of each reply line, or None when the text does not read
    back exactly as a composed thread."""
    root, sep, rest = text.partition(REPLIES)
    if not sep:
        return None
    lines = []
    for line in rest.split(LINE):
        name, colon, body = line.partition(": ")
        if not colon or not body.strip() or body != body.strip():
            return None
        lines.append((_unescape(name), body))
    composed = root.strip() + "\n\n" + "\n".join(f"— {_escape(n)}: {b}" for n, b in lines)
    return lines if composed == text else None


def _attributed(lines: list[tuple[str, str]], cached: Sequence[Any]) -> list[dict[str, Any]] | None:
    """Rows for the lines: each takes the author and ts of the next cached reply with its
    text, in thread order; None when no line has a cached reply."""
    rows, start, found = [], 0, False
    for position, (name, body) in enumerate(lines):
        ts = user_id = ""
        for k in range(start, len(cached)):
            if (cached[k].text or "").strip() == body:
                ts, user_id, start, found = cached[k].ts, cached[k].user_id, k + 1, True
                break
        rows.append(
            {"position": position, "ts": ts, "user_id": user_id, "name": name, "text": body}
        )
    return rows if found else None


def _fill_replies(conn: sa.Connection) -> None:
    last = 0
    while True:
        snippets = conn.execute(
            sa.text(
                "SELECT id, team_id, channel_id, message_ts, text FROM snippet"
                " WHERE id > :last AND thread_ts IS NULL AND text LIKE :threaded"
                " ORDER BY id LIMIT :n"
            ),
            {"last": last, "threaded": f"%{REPLIES}%", "n": BATCH},
        ).all()
        if not snippets:
            return
        for snippet_id, team_id, channel_id, message_ts, text in snippets:
            lines = _lines(text)
            if lines is None:
                continue
            cached = conn.execute(
                sa.text(
                    "SELECT ts, user_id, text FROM channel_message WHERE team_id = :team"
                    " AND channel_id = :channel AND thread_ts = :root AND deleted_at IS NULL"
                    " ORDER BY ts"
                ),
                {"team": team_id, "channel": channel_id, "root": message_ts},
            ).all()
            rows = _attributed(lines, cached)
            if rows:
                conn.execute(
                    sa.text(
                        "INSERT INTO snippet_reply (team_id, snippet_id, position, ts, user_id,"
                        " name, text, removed) VALUES (:team, :snippet, :position, :ts,"
                        " :user_id, :name, :text, :removed)"
                    ),
                    [{**r, "team": team_id, "snippet": snippet_id, "removed": False} for r in rows],
                )
        last = snippets[-1][0]


def downgrade() -> None:
    """The rows go (the texts they describe stay); confirmation times stay as filled."""
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.drop_index("ix_snippet_community_status_confirmed")
    with op.batch_alter_table("snippet_reply", schema=None) as batch_op:
        batch_op.drop_index("ix_snippet_reply_team_id_user_id")
        batch_op.drop_index(batch_op.f("ix_snippet_reply_snippet_id"))
    op.drop_table("snippet_reply")
