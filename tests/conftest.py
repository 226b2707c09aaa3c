"""Shared fixtures: databases on SQLite and PostgreSQL, the Slack stand-in, and the running app."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.base_client import BaseClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy.engine import Engine

from sandbox.slack import SlackStandIn
from storage import db
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


@pytest.fixture(autouse=True)
def no_transaction_waits_on_slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test checks that no request went to Slack (Web API or response_url) while its
    thread held a database transaction: a pooled connection waiting on Slack with it.

    It watches slack_sdk's last step before the socket, so it sees every call however made."""
    held: list[str] = []

    def watched(real: Callable[..., Any]) -> Callable[..., Any]:
        def send(*args: Any, **kwargs: Any) -> Any:
            if db.holding():
                held.append("".join(traceback.format_stack(limit=16)[:-1]))
            return real(*args, **kwargs)

        return send

    for owner, name in (
        (BaseClient, "_perform_urllib_http_request_internal"),
        (WebhookClient, "_perform_http_request_internal"),
    ):
        monkeypatch.setattr(owner, name, watched(getattr(owner, name)))
    yield
    assert not held, "Slack was called with a database transaction open:\n" + "\n".join(held)


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
