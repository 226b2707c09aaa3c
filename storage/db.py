"""The one engine: SQLite by default (WAL, foreign keys, busy timeout), PostgreSQL via psycopg 3."""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, create_engine

from storage import writers
from storage.writers import Writers

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Connections kept beside the work threads': the inbox's writer and lease renewal, the
# scheduler's jobs and tick workers, health checks. Nobody holds one while waiting on Slack
# (release_idle), so threads are the most used at once, not the most in flight.
POOL_SPARE = 12
POOL_OVERFLOW = 8
DEFAULT_POOL_SIZE = 20


def pool_size_for(work_threads: int) -> int:
    """Connections for a process whose work lanes have `work_threads` threads in all."""
    return work_threads + POOL_SPARE


_engine: Engine | None = None


def make_engine(url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> Engine:
    """Build an engine for `url` with the per-database settings copbot relies on.

    Args:
        url: a SQLAlchemy URL, `sqlite:///path` or `postgresql+psycopg://...`.
        pool_size: connections kept open (pool_size_for the process's work threads).
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=pool_size,
            max_overflow=POOL_OVERFLOW,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        database = engine.url.database
        path = database if database and database != ":memory:" else None
        Writers(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000).attach(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=POOL_OVERFLOW)


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
    if writers.goes_first():
        # The door's commits are what Slack's answers wait for: the WAL is copied back into
        # the database (and synced) by the work processes' commits, never by the door's.
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def configure(url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> Engine:
    """Create the process-wide engine (replacing and disposing any previous one).

    Args:
        url: the database URL from Settings.database_url.
        pool_size: connections kept open (pool_size_for the process's work threads).
    """
    global _engine
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url, pool_size=pool_size)
    return _engine


def get_engine() -> Engine:
    """The engine made by `configure`; raises if start-up has not configured one."""
    if _engine is None:
        raise RuntimeError("storage.db.configure() has not been called")
    return _engine


_open = threading.local()  # the sessions this thread has open, innermost last
LOCKED = "copbot_holds_write_lock"  # session.info key: its transaction holds a write_lock


@contextmanager
def session() -> Iterator[Session]:
    """A Session on the configured engine; commit explicitly, rolled back on error."""
    with Session(get_engine(), expire_on_commit=False) as s:
        opened: list[Session] = _open.__dict__.setdefault("sessions", [])
        opened.append(s)
        try:
            yield s
        finally:
            opened.remove(s)


class OwnConnection:
    """One thread's own connection, for a writer that commits many small batches (the inbox's
    recorder). On PostgreSQL each statement is its own transaction on a connection kept
    between batches: a batch is one round trip instead of four (the pool's ping, BEGIN, the
    statement, COMMIT), which an acknowledgement waits for. Elsewhere it is a session as any.
    Not for more than one thread at a time."""

    def __init__(self) -> None:
        self._connection: Connection | None = None
        self._engine: Engine | None = None

    def run(self, work: Callable[[Session], T]) -> T:
        """`work(session)`, committed; once more on a new connection if the kept one broke."""
        engine = get_engine()
        if engine.dialect.name != "postgresql":
            with session() as s:
                result = work(s)
                s.commit()
                return result
        for _ in range(2):
            kept = self._connection is not None and self._engine is engine
            if not kept:
                self.close()
                self._connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                self._engine = engine
                _KEPT.add(self)
            assert self._connection is not None
            try:
                with Session(bind=self._connection, expire_on_commit=False) as s:
                    return work(s)
            except DBAPIError as exc:
                self.close()
                broken = exc.connection_invalidated or isinstance(
                    exc, OperationalError | InterfaceError
                )
                if not kept or not broken:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # it may be broken already
                self._connection.close()
        self._connection = self._engine = None
        _KEPT.discard(self)


_KEPT: weakref.WeakSet[OwnConnection] = weakref.WeakSet()


def kept(engine: Engine) -> int:
    """How many of `engine`'s pooled connections OwnConnections keep (one per inbox writer:
    counted in POOL_SPARE, never waiting on Slack)."""
    return sum(1 for own in list(_KEPT) if own._engine is engine)


def release_idle() -> int:
    """End the idle transactions of this thread's open sessions, so that no pooled connection
    is held while copbot waits on Slack; returns how many were ended.

    The Web API client calls it before every call. A transaction is idle when it holds no
    unflushed change and no write_lock: copbot's storage functions commit their writes as they
    make them, so what is left is reads, and the next query simply begins a new transaction.
    """
    ended = 0
    for s in list(getattr(_open, "sessions", ())):
        if s.in_transaction() and not (s.new or s.dirty or s.deleted) and not s.info.get(LOCKED):
            s.commit()
            ended += 1
    return ended


def holding() -> int:
    """How many of this thread's open sessions are in a transaction (may hold a connection)."""
    return sum(s.in_transaction() for s in getattr(_open, "sessions", ()))


@event.listens_for(OrmSession, "after_transaction_end")
def _lock_released(s: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction: any write_lock went with it
        s.info.pop(LOCKED, None)


def ping() -> str:
    """'ok' when the database answers a trivial query, else a short error description."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # health check: any failure is reported, not raised
        return f"error: {type(exc).__name__}"
