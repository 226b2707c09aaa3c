"""copbot as separate processes (`copbot run`), against a test's database and stand-in."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy.engine import Engine

from sandbox.slack import SlackStandIn
from tests.harness import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[1]
PROXY_VARIABLES = ("https_proxy", "http_proxy", "all_proxy")


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_copbot(
    engine: Engine,
    standin: SlackStandIn,
    port: int,
    cwd: Path,
    settings: dict[str, str] | None = None,
) -> subprocess.Popen:
    """`copbot run` in HTTP mode on `port`, logging to cwd/copbot.log; returns once it answers
    /healthz. Only this test's settings reach it (no developer's .env: cwd is the test's),
    with `settings` over them."""
    command = ["run", "--host", "127.0.0.1", "--port", str(port)]
    process = _spawn(command, {**copbot_env(engine, standin), **(settings or {})}, cwd)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                kill(process)  # its work processes too
                raise AssertionError((cwd / "copbot.log").read_text()) from None
            time.sleep(0.1)
    kill(process)
    raise AssertionError("copbot run did not start:\n" + (cwd / "copbot.log").read_text())


def start_socket_copbot(engine: Engine, standin: SlackStandIn, cwd: Path) -> subprocess.Popen:
    """`copbot run` in Socket Mode (SLACK_APP_TOKEN set, no port), logging to cwd/copbot.log;
    returns once the stand-in sees its connection (start one process at a time)."""
    env = copbot_env(engine, standin)
    # slack_sdk's Socket Mode client takes HTTPS_PROXY and the like with no NO_PROXY: the
    # stand-in is on 127.0.0.1, never behind a proxy.
    env = {k: v for k, v in env.items() if k.lower() not in PROXY_VARIABLES}
    env["SLACK_APP_TOKEN"] = standin.socket.app_token
    before = standin.socket.connections()
    process = _spawn(["run"], env, cwd)
    deadline = time.monotonic() + 60
    while standin.socket.connections() <= before:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError((cwd / "copbot.log").read_text())
        time.sleep(0.05)
    return process


def copbot_env(engine: Engine, standin: SlackStandIn) -> dict[str, str]:
    """This environment less any Slack, copbot and database settings, plus the test's."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "COP_")) and k not in ("DATABASE_URL", "LOG_LEVEL", "PORT")
    }
    env.update(
        DATABASE_URL=engine.url.render_as_string(hide_password=False),
        SLACK_API_URL=standin.api_url,
        SLACK_BOT_TOKEN=standin.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        PYTHONPATH=str(ROOT),
    )
    return env


def kill(process: subprocess.Popen) -> None:
    """SIGKILL a `copbot run` and every process it started (gunicorn's workers too): a
    crash, not a stop (a worker whose master died alone would stop gracefully)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _spawn(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
    with (cwd / "copbot.log").open("a") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *args],
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group, for kill()
        )
