"""Apply Alembic migrations programmatically (on start and by `copbot db upgrade`)."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage import db

SCRIPT_LOCATION = "storage:migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic Config pointing at copbot's migrations (no alembic.ini needed).

    Args:
        engine: when given, migrations run on one of its connections.
    """
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def _migrate(engine: Engine, step: Any, revision: str) -> None:
    """Run `step` (Alembic's upgrade or downgrade) in one transaction.

    On SQLite, changing a table's columns means copying it to a new table and dropping the
    old one; with foreign keys on, that drop would delete every row that references it (ON
    DELETE CASCADE: a community's members, a snippet's tags). So foreign keys are off while
    migrations run, and checked before the transaction commits.
    """
    cfg = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # a no-op inside a transaction: set before the migration's begins
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                step(cfg, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left rows without a parent: {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to `revision`.

    Args:
        engine: the database to migrate.
        revision: target revision, the latest by default.
    """
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to `revision` ("base": nothing of copbot's left).

    Args:
        engine: the database to migrate.
        revision: target revision.
    """
    _migrate(engine, command.downgrade, revision)


class DatabaseUnusable(Exception):
    """The database cannot be reached or migrated; the message is one line for the operator."""


def prepare_database(url: str, *, pool_size: int = db.DEFAULT_POOL_SIZE) -> Engine:
    """Configure the process-wide engine for `url` and bring its schema up to date.

    Args:
        url: Settings.database_url.
        pool_size: connections kept open (storage.db.pool_size_for the work threads).

    Raises:
        DatabaseUnusable: the database cannot be opened or migrated.
    """
    try:
        engine = db.configure(url, pool_size=pool_size)
        upgrade(engine)
    except (SQLAlchemyError, OSError) as exc:
        cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseUnusable(f"cannot use the database at DATABASE_URL: {cause}") from None
    return engine


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave objects Alembic cannot model (search indexes kept by hand) out of comparisons."""
    if type_ == "table" and name is not None:
        return not name.startswith(("snippet_fts", "snippet_search", "sqlite_"))
    return True
