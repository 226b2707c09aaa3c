"""INSERT … ON CONFLICT for SQLite and PostgreSQL: the race-free ways to claim or write a row."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

# Both dialects' insert() take .on_conflict_do_nothing(); no other database copbot runs on does.
_INSERTS: dict[str, Callable[[Any], Any]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}


def _insert(session: Session) -> Callable[[Any], Any]:
    dialect = session.get_bind().dialect.name
    insert = _INSERTS.get(dialect)
    if insert is None:
        raise NotImplementedError(f"copbot runs on SQLite or PostgreSQL, not {dialect}")
    return insert


def insert_or_update(
    *, session: Session, model: type[SQLModel], values: dict[str, Any], keys: Sequence[str]
) -> None:
    """Insert one row, or update the row that a unique constraint on `keys` already holds.

    Only the columns in `values` are written; the others keep what they had (or their
    defaults, for a new row).

    Args:
        session: the open session (the caller commits).
        model: the table model.
        values: column values, including `keys`.
        keys: the columns of the unique constraint the row is found by.
    """
    table = model.__table__  # type: ignore[attr-defined]
    statement = _insert(session)(table).values(**values)
    changes = {name: statement.excluded[name] for name in values if name not in keys}
    session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changes))


def insert_if_absent(*, session: Session, model: type[SQLModel], values: dict[str, Any]) -> bool:
    """Insert one row unless a unique constraint already holds it.

    Args:
        session: the open session (the caller commits).
        model: the table model.
        values: column values for the new row.

    Returns:
        True when this call inserted the row, False when it was already there.
    """
    connection = session.connection()
    statement = _insert_if_absent(connection.dialect.name, model.__table__)  # type: ignore[attr-defined]
    # RETURNING yields a row only when this statement inserted one (rowcount is unreliable here).
    return connection.execute(statement, values).first() is not None


@functools.cache
def _insert_if_absent(dialect: str, table: Table) -> Any:
    """One statement per table, built once and given its values when run: building it per
    row and running it through the ORM cost more than the insert itself."""
    insert = _INSERTS.get(dialect)
    if insert is None:
        raise NotImplementedError(f"copbot runs on SQLite or PostgreSQL, not {dialect}")
    return insert(table).on_conflict_do_nothing().returning(*table.primary_key.columns)
