"""copbot as separate processes (`copbot run`), against a test's database and stand-in."""

from __future__ import annotations

import os
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


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_copbot(engine: Engine, standin: SlackStandIn, port: int, cwd: Path) -> subprocess.Popen:
    """`copbot run` in HTTP mode on `port`, logging to cwd/copbot.log; returns once it answers
    /healthz. Only this test's settings reach it (no developer's .env: cwd is the test's)."""
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
    command = [sys.executable, "-m", "bot.cli", "run", "--host", "127.0.0.1", "--port", str(port)]
    with (cwd / "copbot.log").open("a") as log:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise AssertionError((cwd / "copbot.log").read_text()) from None
            time.sleep(0.1)
    raise AssertionError("copbot run did not start")
