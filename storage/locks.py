"""Serialising writers: a rule checked and a row written as one step, under any concurrency.

A rule such as "at most N kudos a day" is a read (count) then a write (insert). Two
transactions doing both at once each read the count before the other's write, and both
write. `write_lock(session, key)` makes the rest of the transaction the only one holding
`key`: on PostgreSQL a transaction-scoped advisory lock on the key, on SQLite the database's
write lock (SQLite has one writer at a time), taken before the first read so that the read
sees every write committed before it. Both are released when the transaction ends.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import text
from sqlmodel import Session

from storage.db import LOCKED


def lock_id(key: str) -> int:
    """A stable signed 64-bit number for `key` (PostgreSQL's advisory locks take a bigint)."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _postgresql(session: Session, key: str) -> None:
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_id(key)})


def _sqlite(session: Session, key: str) -> None:
    session.commit()  # BEGIN IMMEDIATE must start the transaction
    session.execute(text("BEGIN IMMEDIATE"))


_LOCKS: dict[str, Callable[[Session, str], None]] = {
    "postgresql": _postgresql,
    "sqlite": _sqlite,
}


def write_lock(session: Session, key: str) -> None:
    """Hold `key` until the session's transaction ends (commit or rollback).

    Call it first: on SQLite it commits whatever the session had pending, then starts the
    transaction that holds the lock.

    Args:
        session: the open session.
        key: what is being serialised, e.g. "kudos:12:U123" (one giver's quota).
    """
    dialect = session.get_bind().dialect.name
    lock = _LOCKS.get(dialect)
    if lock is None:
        raise NotImplementedError(f"copbot runs on SQLite or PostgreSQL, not {dialect}")
    lock(session, key)
    session.info[LOCKED] = True  # storage.db.release_idle leaves this transaction be
