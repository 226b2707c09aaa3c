"""Which full-text engine a session's database has: one module per database copbot supports."""

from __future__ import annotations

from sqlmodel import Session

from storage.search import postgresql, sqlite
from storage.search.plan import Engine

ENGINES: dict[str, Engine] = {"sqlite": sqlite, "postgresql": postgresql}


class UnsupportedDatabase(Exception):
    """copbot's search has no engine for this database."""


def engine_of(session: Session) -> Engine:
    """The search engine of the session's database.

    Raises:
        UnsupportedDatabase: a database other than SQLite or PostgreSQL.
    """
    name = session.get_bind().dialect.name
    try:
        return ENGINES[name]
    except KeyError:
        raise UnsupportedDatabase(
            f"copbot's search runs on SQLite or PostgreSQL; this database is {name}"
        ) from None
