"""The one engine: SQLite by default (WAL, foreign keys, busy timeout), PostgreSQL via psycopg 3."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Listener threads (16) and scheduler workers each hold a connection while they wait on Slack.
POOL_SIZE = 20
POOL_OVERFLOW = 20

_engine: Engine | None = None


def make_engine(url: str) -> Engine:
    """Build an engine for `url` with the per-database settings copbot relies on.

    Args:
        url: a SQLAlchemy URL, `sqlite:///path` or `postgresql+psycopg://...`.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)


SQLITE_MMAP_BYTES = 256 * 1024 * 1024
SQLITE_CACHE_KIB = 32 * 1024


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Reads (search walks the full-text index and a covering index) come straight from the
    # OS page cache instead of through a read() per page; 32 MB of SQLite's own cache.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def configure(url: str) -> Engine:
    """Create the process-wide engine (replacing and disposing any previous one).

    Args:
        url: the database URL from Settings.database_url.
    """
    global _engine
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url)
    return _engine


def get_engine() -> Engine:
    """The engine made by `configure`; raises if start-up has not configured one."""
    if _engine is None:
        raise RuntimeError("storage.db.configure() has not been called")
    return _engine


@contextmanager
def session() -> Iterator[Session]:
    """A Session on the configured engine; commit explicitly, rolled back on error."""
    with Session(get_engine(), expire_on_commit=False) as s:
        yield s


def release(session: Session) -> None:
    """End the session's transaction so that its pooled connection is free while copbot waits
    on Slack. Call it where reads are done: it commits what is pending (copbot's storage
    functions commit their writes as they make them, so there is normally nothing)."""
    session.commit()


def ping() -> str:
    """'ok' when the database answers a trivial query, else a short error description."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # health check: any failure is reported, not raised
        return f"error: {type(exc).__name__}"
