"""SQLite writers take their turn in copbot's own queue: no writer meets SQLite's lock (and its
busy backoff), a turn is given back however the transaction ends, and processes share it."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from storage import db, writers
from storage.writers import HOLDS, Writers


@pytest.fixture
def sqlite(tmp_path: Path) -> Engine:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'w.db'}", pool_size=8)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    return engine


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM t")).scalar_one())


def test_many_threads_write_at_once_and_none_meets_sqlites_lock(sqlite: Engine) -> None:
    busy: list[str] = []
    engine = sqlite

    def write(n: int) -> None:
        for _ in range(20):
            try:
                with engine.begin() as conn:
                    # SQLite's own wait would hide a writer that slipped past the queue
                    conn.exec_driver_sql("PRAGMA busy_timeout=0")
                    conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
                    time.sleep(0.001)  # hold the write a moment, as a real transaction does
                    conn.execute(text("UPDATE t SET n = n WHERE n = :n"), {"n": n})
            except OperationalError as exc:
                busy.append(str(exc))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert busy == []
    assert count(engine) == 120


def test_the_turn_is_given_back_however_the_transaction_ends(sqlite: Engine) -> None:
    with sqlite.connect() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        assert conn.info[HOLDS]
        conn.rollback()
        assert HOLDS not in conn.info
    with sqlite.connect() as conn:
        conn.execute(text("INSERT INTO t VALUES (2)"))
    # closed without commit: the pool rolled it back and the turn went with it
    with sqlite.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (3)"))
    assert count(sqlite) == 1
    with sqlite.connect() as conn:  # reads never take the turn
        conn.execute(text("SELECT * FROM t")).all()
        assert HOLDS not in conn.info


def test_a_thread_writing_on_two_connections_does_not_wait_for_itself(tmp_path: Path) -> None:
    """It meets SQLite's own lock instead, as it would without the queue."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'w.db'}", pool_size=4)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    with engine.connect() as first, engine.connect() as second:
        first.execute(text("INSERT INTO t VALUES (1)"))
        second.exec_driver_sql("PRAGMA busy_timeout=100")
        with pytest.raises(OperationalError, match="locked"):
            second.execute(text("INSERT INTO t VALUES (2)"))
        second.rollback()
        first.commit()
    assert count(engine) == 1


def _write_holding(path: str, seconds: float, started: object) -> None:
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        started.set()  # type: ignore[attr-defined]
        time.sleep(seconds)


def test_processes_share_the_turn(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    other = context.Process(target=_write_holding, args=(str(path), 1.0, started))
    other.start()
    try:
        assert started.wait(30)
        writers = Writers(str(path), timeout=0.2)
        with pytest.raises(OperationalError, match="locked") as raised:
            writers._take()  # the other process holds it: no turn here meanwhile
        assert type(raised.value.orig).__name__ == "OperationalError"  # logs name it as SQLite's
        writers = Writers(str(path), timeout=20)
        writers._take()  # given once the other process commits
        writers._give()
    finally:
        other.join(30)
    assert (tmp_path / "w.db-writer").exists()
    assert count(engine) == 1


def _take_turn(path: str, waiting: object, took_at: object) -> None:
    """A work process's writer: stands back for doors as long as they wait (in this test)."""
    writers.YIELD_SECONDS = 60.0
    turn = Writers(path, timeout=30)
    waiting.set()  # type: ignore[attr-defined]
    turn._take()
    took_at.value = time.monotonic()  # type: ignore[attr-defined]
    turn._give()


def test_a_door_waiting_for_the_turn_goes_before_the_work_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The door announces its wait; a work process waiting at the same time stands back, so
    the door writes first when the holder gives the turn back (they would otherwise race)."""
    path = str(tmp_path / "w.db")
    holder = Writers(path, timeout=5)
    holder._take()  # as a work process in the middle of a transaction
    context = multiprocessing.get_context("spawn")
    waiting, took_at = context.Event(), context.Value("d", 0.0)
    work = context.Process(target=_take_turn, args=(path, waiting, took_at))
    work.start()
    try:
        assert waiting.wait(30)
        time.sleep(0.2)  # the work process polls for the turn
        monkeypatch.setattr(writers, "_first", True)
        door = Writers(path, timeout=30)
        threading.Timer(0.3, holder._give).start()  # given back while both wait
        door._take()
        door_took_at = time.monotonic()
        time.sleep(0.1)
        door._give()
    finally:
        work.join(30)
    assert took_at.value > door_took_at


def test_the_doors_connections_leave_checkpoints_to_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def autocheckpoint() -> int:
        engine = db.make_engine(f"sqlite:///{tmp_path / 'w.db'}")
        with engine.connect() as conn:
            pages = int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())
        engine.dispose()
        return pages

    assert autocheckpoint() == 1000  # SQLite's default, for the work processes
    monkeypatch.setattr(writers, "_first", True)
    assert autocheckpoint() == 0
