"""One writer at a time on a SQLite file, handed over at once instead of by SQLite's backoff.

SQLite lets one connection write at a time. A connection that finds the database locked
sleeps in SQLite's busy handler (1, 2, 5, 10, 15, 20, 25 … 100 ms, up to the busy timeout)
and tries again, so under load writers sleep far longer than the writes they wait for, and
the unlucky ones starve. copbot therefore queues its own writers before SQLite sees them: a
connection takes the writer's turn just before its first writing statement and gives it back
when its transaction ends, so SQLite's lock is always free when copbot asks for it.

The turn is a lock in this process (the next thread is woken the moment it is released) and,
between processes (gunicorn's workers, `copbot scheduler tick`), an flock on a file beside the
database, `<database>-writer`, polled at a millisecond while another process writes.
Reads (WAL) never wait. A thread that already holds the turn on another connection does not
queue behind itself: that connection meets SQLite's own lock as before, and its busy timeout.

The door goes first. A person's request is acknowledged only once it is recorded, while the
work processes' writes wait for nobody; so a process that called `go_first` (`copbot door`)
announces each wait for the turn with a shared lock on `<database>-writer-first`, and the
other processes, before each try, stand back while any door waits (for at most
YIELD_SECONDS, so that work is never starved). Without it a door polling for the turn lost it
again and again to the work processes polling beside it (p99 wait 38 ms under load).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

HOLDS = "copbot_writer"  # connection record info key: this connection holds the turn
# Statements that read: everything else (DML, DDL, BEGIN, SAVEPOINT) needs the turn.
_READS = ("SELECT", "PRAGMA", "EXPLAIN")
POLL_SECONDS = 0.001
YIELD_SECONDS = 0.25  # the longest a writer stands back for doors waiting for the turn

_first = False  # this process's writers go first (go_first)


def go_first() -> None:
    """This process answers Slack (the door): its writers take the turn before those of
    processes that did not call this, whenever they wait for it at the same time, and its
    connections leave checkpoints to the others (storage.db)."""
    global _first
    _first = True


def goes_first() -> bool:
    """Whether go_first was called in this process."""
    return _first


class Writers:
    """The writer's turn for one SQLite file.

    Args:
        path: the database file, or None for a private in-memory database.
        timeout: seconds a writer waits for its turn (SQLite's busy timeout).
    """

    def __init__(self, path: str | None, *, timeout: float) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._path = f"{path}-writer" if path else None
        self._fd: int | None = None
        self._first_fd: int | None = None

    def attach(self, engine: Engine) -> None:
        """Queue `engine`'s writers on this turn."""
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "rollback", self._rolled_back)
        event.listen(engine.pool, "reset", self._reset)
        event.listen(engine.pool, "checkin", self._returned)
        event.listen(engine.pool, "close", self._returned)
        event.listen(engine.pool, "invalidate", self._invalidated)

    def _before_execute(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if conn.info.get(HOLDS) or statement.lstrip()[:7].upper().startswith(_READS):
            return
        if self._owner == threading.get_ident():
            return  # this thread writes on another connection: SQLite's lock decides
        self._take()
        conn.info[HOLDS] = True

    def _committed(self, conn: Any) -> None:
        self._end(conn, "commit")

    def _rolled_back(self, conn: Any) -> None:
        self._end(conn, "rollback")

    def _end(self, conn: Any, how: str) -> None:
        """SQLAlchemy tells of a commit (or rollback) before it makes it: the turn is given
        back only once SQLite's transaction is over, so it is ended here, first (SQLAlchemy's
        own call then finds no transaction open, which sqlite3 takes as a no-op)."""
        if not conn.info.get(HOLDS):
            return
        try:
            getattr(conn.connection.dbapi_connection, how)()
        finally:
            conn.info.pop(HOLDS, None)
            self._give()

    def _reset(self, dbapi_connection: Any, record: Any, reset_state: Any) -> None:
        self._returned(dbapi_connection, record)

    def _invalidated(self, dbapi_connection: Any, record: Any, exception: Any) -> None:
        self._returned(dbapi_connection, record)

    def _returned(self, dbapi_connection: Any, record: Any) -> None:
        """The pool takes the connection back, or closes it, with its transaction still open
        (the pool then rolls it back): rolled back here first, as in `_end`."""
        if record is None or not record.info.pop(HOLDS, False):
            return
        try:
            with contextlib.suppress(Exception):  # a connection being closed may be broken
                dbapi_connection.rollback()
        finally:
            self._give()

    def _take(self) -> None:
        deadline = time.monotonic() + self.timeout
        if not self._lock.acquire(timeout=self.timeout):
            raise _locked()
        try:
            self._take_file(deadline)
        except BaseException:
            self._lock.release()
            raise
        self._owner = threading.get_ident()

    def _take_file(self, deadline: float) -> None:
        if self._path is None:
            return
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._first_fd = os.open(f"{self._path}-first", os.O_RDWR | os.O_CREAT, 0o600)
        assert self._first_fd is not None
        if _first:
            with contextlib.suppress(BlockingIOError):
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return  # free: nobody to announce the wait to
            fcntl.flock(self._first_fd, fcntl.LOCK_SH)  # others hold it only to look
            try:
                self._poll(deadline, stand_back_until=0.0)
            finally:
                fcntl.flock(self._first_fd, fcntl.LOCK_UN)
        else:
            self._poll(deadline, stand_back_until=time.monotonic() + YIELD_SECONDS)

    def _poll(self, deadline: float, *, stand_back_until: float) -> None:
        assert self._fd is not None
        while True:
            if time.monotonic() >= stand_back_until or not self._a_door_waits():
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    pass
            if time.monotonic() > deadline:
                raise _locked() from None
            time.sleep(POLL_SECONDS)

    def _a_door_waits(self) -> bool:
        """Whether a process that goes first waits for the turn (holds its shared lock)."""
        assert self._first_fd is not None
        try:
            fcntl.flock(self._first_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(self._first_fd, fcntl.LOCK_UN)
        return False

    def _give(self) -> None:
        self._owner = None
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._lock.release()


def _locked() -> OperationalError:
    """What SQLite itself raises when its busy timeout runs out (logs name it alike)."""
    return OperationalError("writer's turn", {}, sqlite3.OperationalError("database is locked"))
