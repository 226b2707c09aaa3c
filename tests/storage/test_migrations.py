"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from storage import migrate
from storage.models import metadata


def test_migrated_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": migrate.include_object}
        )
        assert compare_metadata(context, metadata) == []


def test_every_model_table_exists_with_its_unique_constraints(engine: Engine) -> None:
    inspector = inspect(engine)
    assert set(metadata.tables) <= set(inspector.get_table_names())
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("scheduled_post")}
    assert ("community_id", "kind", "period") in uniques
    snippet_uniques = {
        tuple(u["column_names"]) for u in inspector.get_unique_constraints("snippet")
    }
    assert ("team_id", "channel_id", "message_ts") in snippet_uniques


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None
