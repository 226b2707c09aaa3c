"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
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


def schema(engine: Engine) -> dict[str, Any]:
    """Everything the migrations create: tables, columns, keys and indexes, and the search
    index objects kept by hand (SQLite's FTS5 tables and triggers, PostgreSQL's functions)."""
    inspector = inspect(engine)
    tables = {}
    for name in sorted(inspector.get_table_names()):
        tables[name] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)
            ],
            "pk": inspector.get_pk_constraint(name)["constrained_columns"],
            "fks": sorted(str(fk) for fk in inspector.get_foreign_keys(name)),
            "uniques": sorted(str(u) for u in inspector.get_unique_constraints(name)),
            "indexes": sorted(str(i) for i in inspector.get_indexes(name)),
        }
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # plain tables are compared above (their SQL text orders constraints as it likes)
            extra = conn.exec_driver_sql(
                "SELECT type, name, CASE WHEN sql LIKE 'CREATE TABLE%' THEN '' ELSE sql END"
                " FROM sqlite_master ORDER BY name"
            )
        else:
            extra = conn.exec_driver_sql(
                "SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                " WHERE NOT tgisinternal ORDER BY tgname"
            )
        objects = [tuple(row) for row in extra]
        revision = MigrationContext.configure(conn).get_current_revision()
    return {"tables": tables, "objects": objects, "revision": revision}


def test_upgrading_a_migrated_database_again_changes_nothing(engine: Engine) -> None:
    before = schema(engine)
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    assert schema(engine) == before
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert before["revision"] == head


def test_each_migration_goes_down_and_up_again(engine: Engine) -> None:
    migrated = schema(engine)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert schema(engine) == migrated


def test_dropping_member_muted_keeps_every_membership(engine: Engine) -> None:
    migrate.downgrade(engine, "0005")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO community (team_id, name, name_key, domain, timezone, knowledge_emoji,"
            " kudos_emoji, reactions_required, require_confirmation, kudos_daily_quota, paused,"
            " created_by, created_at) VALUES ('T1', 'G', 'g', '', 'UTC', 'bulb', 'raised_hands',"
            " 1, false, 10, false, 'UA', '2026-11-30 10:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO member (team_id, community_id, user_id, role, joined_at, muted)"
            " SELECT 'T1', id, 'UB', 'member', '2026-11-30 10:00:00', false FROM community"
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT user_id, role FROM member").all()
    assert [tuple(r) for r in rows] == [("UB", "member")]
    assert "muted" not in {c["name"] for c in inspect(engine).get_columns("member")}
