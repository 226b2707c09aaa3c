"""The recorder's own connection: on PostgreSQL a batch is one round trip on a connection
kept between batches, which is made again when it broke (the server restarted)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import db


def backend(session: Session) -> int:
    return int(session.connection().execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_kept_connection_that_broke_is_made_again(engine: Engine) -> None:
    own = db.OwnConnection()
    one = own.run(lambda s: int(s.connection().execute(text("SELECT 1")).scalar_one()))
    assert one == 1
    if engine.dialect.name != "postgresql":  # a session as any: nothing kept
        assert own._connection is None
        return
    first = own.run(backend)
    assert own.run(backend) == first  # kept
    with engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        admin.commit()
    second = own.run(backend)  # the kept one broke: once more on a new one
    assert second != first
    own.close()


def test_each_statement_commits_by_itself(engine: Engine) -> None:
    own = db.OwnConnection()
    own.run(lambda s: s.connection().execute(text("CREATE TABLE own_t (n INTEGER)")))
    try:
        own.run(lambda s: s.connection().execute(text("INSERT INTO own_t VALUES (1)")))
        with engine.connect() as other:
            assert other.execute(text("SELECT count(*) FROM own_t")).scalar_one() == 1
    finally:
        own.run(lambda s: s.connection().execute(text("DROP TABLE own_t")))
        own.close()
