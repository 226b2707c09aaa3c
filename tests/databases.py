"""Test databases: a migrated SQLite file per test; PostgreSQL when COP_TEST_DATABASE_URL is set.

PostgreSQL tests run in a database of their own, created (and migrated) once per test run on the
server COP_TEST_DATABASE_URL names and dropped at the end; tables are emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from bot.config import normalise_database_url
from storage import db, migrate
from storage.models import metadata

PG_ENV = "COP_TEST_DATABASE_URL"


def postgres_server_url() -> str | None:
    url = os.environ.get(PG_ENV, "").strip()
    return normalise_database_url(url) if url else None


def make_sqlite_template(directory: Path) -> Path:
    """A migrated SQLite file that each test copies instead of migrating again."""
    path = directory / "template.db"
    engine = db.make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def sqlite_copy(template: Path, directory: Path) -> str:
    target = directory / "copbot.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


class PostgresDatabase:
    """A throw-away database on the test server, migrated once."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.name = f"copbot_test_{uuid.uuid4().hex[:10]}"
        self.url = (
            make_url(server_url).set(database=self.name).render_as_string(hide_password=False)
        )

    def create(self) -> None:
        admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        admin.dispose()
        engine = db.make_engine(self.url)
        migrate.upgrade(engine)
        engine.dispose()

    def drop(self) -> None:
        admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        admin.dispose()

    def empty(self, engine: Engine) -> None:
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def use_database(url: str) -> Iterator[Engine]:
    """Point storage.db at `url` for one test."""
    engine = db.configure(url)
    try:
        yield engine
    finally:
        engine.dispose()
