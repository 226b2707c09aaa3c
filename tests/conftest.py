"""Shared fixtures: databases on SQLite and PostgreSQL, the Slack stand-in, and the running app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from sandbox.slack import SlackStandIn
from storage.clock import run_ahead
from tests.databases import (
    PG_ENV,
    PostgresDatabase,
    make_sqlite_template,
    postgres_server_url,
    sqlite_copy,
    use_database,
)
from tests.harness import Copbot, running_copbot, seed_workspace, settings_for
from tests.shared import OPENAPI_SPEC

DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresDatabase | None]:
    server = postgres_server_url()
    if server is None:
        yield None
        return
    database = PostgresDatabase(server)
    database.create()
    try:
        yield database
    finally:
        database.drop()


@pytest.fixture(params=DATABASES)
def engine(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_database: PostgresDatabase | None,
) -> Iterator[Engine]:
    """A migrated, empty database configured as storage.db's engine: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        yield from use_database(sqlite_copy(sqlite_template, tmp_path))
        return
    if postgres_database is None:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (make test-pg, or .ci/run)")
    for engine in use_database(postgres_database.url):
        postgres_database.empty(engine)
        yield engine


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    """The Slack Web API stand-in, seeded with the demo workspace."""
    with SlackStandIn(spec_path=OPENAPI_SPEC) as slack:
        seed_workspace(slack)
        yield slack


@pytest.fixture
def copbot(engine: Engine, standin: SlackStandIn) -> Iterator[Copbot]:
    """The real app over HTTP against the stand-in, on each test database."""
    settings = settings_for(standin, engine.url.render_as_string(hide_password=False))
    with running_copbot(standin, settings) as bot:
        yield bot


@pytest.fixture
def clock() -> Iterator[Callable[[timedelta], None]]:
    """Runs copbot's clock (storage.clock.utcnow) ahead of real time, as the sandbox's clock
    jump does: `clock(timedelta(days=8))`; real time again after the test."""
    yield run_ahead
    run_ahead(timedelta(0))
