"""markup: every text people typed is stored as Slack markup; endorsements are reactions only

- Text that came in raw (the Share form, the "New community" form, built-in prompts, the links
  that reaction kudos give as their reason) is escaped like the rest (storage/markup.py), so
  "0 < n && a -> b" is stored as Slack would send it. Markup itself is left as it is.
- Community names hold no tokens; their columns, and snippet titles, grow to hold markup.
- A save, a share or a Confirm is not an endorsement: those rows go and counts are redone.
  A facilitator's confirmation records how it was made (snippet.confirmed_via).
- The search index is rebuilt from the text as people read it.
- People's handles are kept apart from their display names, which Slack leaves empty for
  most people (then it shows the real name); cached profiles are looked up again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.markup import from_typed, normalise, visible
from storage.search import postgresql as pg_search
from storage.search import sqlite as sqlite_search
from storage.search.words import searchable

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.alter_column("name", type_=sa.String(length=400), existing_nullable=False)
        batch_op.alter_column("name_key", type_=sa.String(length=400), existing_nullable=False)
        batch_op.alter_column("domain", type_=sa.Text(), existing_nullable=False)
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.alter_column("title", type_=sa.String(length=1000), existing_nullable=False)
        batch_op.add_column(sa.Column("confirmed_via", sa.String(length=16), nullable=True))
    with op.batch_alter_table("user_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("handle", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("user_profile", schema=None) as batch_op:
        batch_op.alter_column("handle", server_default=None)
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE user_profile SET fetched_at = '2000-01-01 00:00:00'"))
    _community_names(conn)
    for table, column in (
        ("snippet", "text"),
        ("snippet", "title"),
        ("kudos", "reason"),
        ("prompt", "text"),
        ("channel_message", "text"),
    ):
        _normalise(conn, table, column)
    conn.execute(
        sa.text(
            "UPDATE snippet SET confirmed_via = CASE WHEN EXISTS (SELECT 1 FROM endorsement e"
            " WHERE e.snippet_id = snippet.id AND e.user_id = snippet.confirmed_by"
            " AND e.emoji <> '') THEN 'reaction' ELSE 'purpose' END"
            " WHERE confirmed_by IS NOT NULL"
        )
    )
    conn.execute(sa.text("DELETE FROM endorsement WHERE emoji = ''"))
    conn.execute(
        sa.text(
            "UPDATE snippet SET endorsements = (SELECT COUNT(DISTINCT e.user_id) FROM endorsement e"
            " WHERE e.snippet_id = snippet.id)"
        )
    )
    _reindex(conn)


def _community_names(conn: sa.Connection) -> None:
    rows = conn.execute(sa.text("SELECT id, team_id, name, name_key, domain FROM community")).all()
    owner = {(team, key): community_id for community_id, team, _, key, _ in rows}
    for community_id, team_id, name, _, domain in rows:
        new_name = from_typed(" ".join(visible(normalise(name)).split()))
        key = " ".join(new_name.casefold().split())
        if owner.get((team_id, key), community_id) != community_id:
            key = f"{key} ({community_id})"  # two names that now read the same stay apart
        owner[(team_id, key)] = community_id
        conn.execute(
            sa.text(
                "UPDATE community SET name = :name, name_key = :key, domain = :domain"
                " WHERE id = :id"
            ),
            {"id": community_id, "name": new_name, "key": key, "domain": normalise(domain)},
        )


def _normalise(conn: sa.Connection, table: str, column: str) -> None:
    last = 0
    while True:
        rows = conn.execute(
            sa.text(f"SELECT id, {column} FROM {table} WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        changed = [{"id": i, "v": normalise(v)} for i, v in rows if v and normalise(v) != v]
        if changed:
            conn.execute(sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"), changed)
        last = rows[-1][0]


def _reindex(conn: sa.Connection) -> None:
    engine = sqlite_search if conn.dialect.name == "sqlite" else pg_search
    last = 0
    while True:
        rows = conn.execute(
            sa.text(
                "SELECT s.id, s.title, s.text FROM snippet s WHERE s.id > :last ORDER BY s.id"
                " LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        for snippet_id, title, text in rows:
            tags = conn.execute(
                sa.text("SELECT tag FROM snippet_tag WHERE snippet_id = :id ORDER BY tag"),
                {"id": snippet_id},
            ).scalars()
            engine.index(
                conn,
                snippet_id=snippet_id,
                title=searchable(title),
                body=searchable(text),
                tags=" ".join(tags),
            )
        last = rows[-1][0]


def downgrade() -> None:
    """The columns go back; text stays markup (it reads the same), removed rows stay gone."""
    with op.batch_alter_table("user_profile", schema=None) as batch_op:
        batch_op.drop_column("handle")
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.drop_column("confirmed_via")
        batch_op.alter_column("title", type_=sa.String(length=200), existing_nullable=False)
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.alter_column("domain", type_=sa.String(length=1000), existing_nullable=False)
        batch_op.alter_column("name_key", type_=sa.String(length=80), existing_nullable=False)
        batch_op.alter_column("name", type_=sa.String(length=80), existing_nullable=False)
