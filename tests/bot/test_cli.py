"""The `copbot` console script, run as a real process the way an operator runs it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table on SQLModel.metadata)
from sandbox.slack import SlackSender, SlackStandIn
from tests.shared import OPENAPI_SPEC

ROOT = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "cli-test-signing-secret-0123456789"
STARTUP_TIMEOUT = 20.0
# A copbot command that has not exited by now is hanging.
RUN_TIMEOUT = 30.0
# What configure_logging() writes: everything else on stderr is copbot talking to the operator.
LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")


def clean_env(**settings: str) -> dict[str, str]:
    """os.environ without any copbot setting, plus `settings` and the repo on PYTHONPATH."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "COP_"))
        and name not in {"DATABASE_URL", "PORT", "LOG_LEVEL"}
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env.update(settings)
    return env


def copbot(*args: str, cwd: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """Run `copbot ARGS` to completion in `cwd` (where no stray .env lives)."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=clean_env(**settings),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def operator_lines(stderr: str) -> list[str]:
    """The lines of stderr that are not log records: copbot's message, or a traceback."""
    return [line for line in stderr.splitlines() if line.strip() and not LOG_RECORD.match(line)]


def assert_fails_with_one_line(done: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = operator_lines(done.stderr)
    assert len(lines) == 1, done.stderr
    for needle in needles:
        assert needle in lines[0], done.stderr
    return lines[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# ----- settings ---------------------------------------------------------------------------------


def test_missing_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    done = copbot("db", "upgrade", cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-1-2-abc")
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "SLACK_SIGNING_SECRET is not set" in done.stderr
    assert "Traceback" not in done.stderr


def test_dotenv_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"SLACK_SIGNING_SECRET={SIGNING_SECRET}\nSLACK_BOT_TOKEN=xoxb-1-2-abc\nLOG_LEVEL=LOUD\n"
    )
    done = copbot("db", "upgrade", cwd=tmp_path)
    assert_fails_with_one_line(done, "LOG_LEVEL")


# ----- copbot db upgrade ------------------------------------------------------------------------


def test_db_upgrade_creates_the_tables_and_can_run_again(tmp_path: Path) -> None:
    database = tmp_path / "copbot.db"
    settings = dict(
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN="xoxb-1-2-abc",
        DATABASE_URL=sqlite_url(database),
    )
    for _ in range(2):
        done = copbot("db", "upgrade", cwd=tmp_path, **settings)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr

    engine = create_engine(sqlite_url(database))
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert "alembic_version" in tables
    missing = set(SQLModel.metadata.tables) - tables
    assert not missing, f"db upgrade did not create {sorted(missing)}"


def test_db_upgrade_with_an_unusable_database_url(tmp_path: Path) -> None:
    done = copbot(
        "db",
        "upgrade",
        cwd=tmp_path,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN="xoxb-1-2-abc",
        DATABASE_URL="sqlite:////nonexistent-dir/x.db",
    )
    assert_fails_with_one_line(done, "DATABASE_URL")


# ----- copbot run --http ------------------------------------------------------------------------


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(spec_path=OPENAPI_SPEC) as slack:
        slack.add_user("UALICE", "alice", real_name="Alice Liddell")
        slack.add_channel("CPYTHON", "python", members=["UALICE", slack.bot_user_id])
        yield slack


@contextmanager
def running(*args: str, cwd: Path, **settings: str) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """Start `copbot ARGS` in the background; stderr goes to a file (a pipe could fill up)."""
    stderr_path = cwd / "copbot.stderr"
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *args],
            cwd=cwd,
            env=clean_env(**settings),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
        )
    try:
        yield process, stderr_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_until_healthy(process: subprocess.Popen[str], url: str, stderr: Path) -> bytes:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"copbot exited with {process.returncode}:\n{stderr.read_text()}")
        try:
            status, body = http_get(url)
        except (OSError, urllib.error.URLError):
            time.sleep(0.1)
            continue
        assert status == 200, (status, body, stderr.read_text())
        return body
    pytest.fail(f"{url} did not answer within {STARTUP_TIMEOUT}s:\n{stderr.read_text()}")


def flatten(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)


def test_run_http_serves_health_and_slash_commands(tmp_path: Path, standin: SlackStandIn) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(
        "run",
        "--http",
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        cwd=tmp_path,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=standin.bot_token,
        SLACK_API_URL=standin.api_url,
        DATABASE_URL=sqlite_url(tmp_path / "copbot.db"),
    ) as (process, stderr):
        health = json.loads(wait_until_healthy(process, f"{base}/healthz", stderr))
        assert health["database"] == "ok"
        assert health["status"] == "ok"

        assert http_get(f"{base}/nope")[0] == 404

        sender = SlackSender(f"{base}/slack/events", SIGNING_SECRET, standin)
        created = sender.command(
            "create Python Guild — all things Python", user="UALICE", channel="CPYTHON"
        )
        assert created.status == 200, (created.body, stderr.read_text())

        def announcement() -> Any:
            return [
                call
                for call in standin.calls_to("chat.postMessage")
                if call.args.get("channel") == "CPYTHON" and "Python Guild" in flatten(call.args)
            ]

        standin.wait_for(announcement, timeout=10)

        info = sender.command("info", user="UALICE", channel="CPYTHON")
        assert info.status == 200, (info.body, stderr.read_text())

        def info_response() -> Any:
            return [r for r in standin.responses if r["url"] == info.response_url]

        responses = standin.wait_for(info_response, timeout=10)
        text = flatten(responses[0]["body"])
        assert "Python Guild" in text
        assert "all things Python" in text
        assert process.poll() is None, stderr.read_text()
    assert "Traceback" not in stderr.read_text()


def test_run_with_a_token_slack_refuses(tmp_path: Path, standin: SlackStandIn) -> None:
    done = copbot(
        "run",
        "--http",
        "--port",
        str(free_port()),
        cwd=tmp_path,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN="xoxb-unknown",
        SLACK_API_URL=standin.api_url,
        DATABASE_URL=sqlite_url(tmp_path / "copbot.db"),
    )
    line = assert_fails_with_one_line(done, "SLACK_BOT_TOKEN")
    assert "Slack refused the bot token" in line


def test_run_when_slack_cannot_be_reached(tmp_path: Path) -> None:
    closed = free_port()  # bound and released: nothing listens there
    started = time.monotonic()
    done = copbot(
        "run",
        "--http",
        "--port",
        str(free_port()),
        cwd=tmp_path,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN="xoxb-1-2-abc",
        SLACK_API_URL=f"http://127.0.0.1:{closed}/api/",
        DATABASE_URL=sqlite_url(tmp_path / "copbot.db"),
    )
    line = assert_fails_with_one_line(done, "SLACK_API_URL")
    assert "cannot reach Slack" in line
    assert time.monotonic() - started < RUN_TIMEOUT
