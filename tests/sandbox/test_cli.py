"""`copbot sandbox` and `make run` without Slack settings, as real processes."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.bot.test_cli import assert_fails_with_one_line, clean_env, copbot

STARTUP_TIMEOUT = 60.0
URL = re.compile(r"open (http://127\.0\.0\.1:\d+) in your browser")


@contextmanager
def started(*args: str, cwd: Path, **settings: str) -> Iterator[tuple[str, Path]]:
    """Run `copbot ARGS` until it prints the sandbox's address; yields it and stdout's file.
    On leaving, the process gets SIGTERM and must exit 0."""
    out, err = cwd / "stdout", cwd / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *args],
            cwd=cwd,
            env=clean_env(**settings),
            stdout=stdout,
            stderr=stderr,
            text=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not (found := URL.search(out.read_text())):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"no address printed ({process.poll()}):\n{err.read_text()}")
            time.sleep(0.1)
        yield found.group(1), out
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0, err.read_text()
        assert "Traceback" not in err.read_text(), err.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)


def people_of(url: str) -> list[str]:
    with urllib.request.urlopen(f"{url}/sandbox/state", timeout=10) as response:
        return [person["name"] for person in json.load(response)["people"]]


def test_copbot_sandbox_serves_the_page_and_keeps_its_files(tmp_path: Path) -> None:
    with started("sandbox", "--port", "0", "--dir", "demo", cwd=tmp_path) as (url, stdout):
        assert "a new demo workspace" in stdout.read_text()
        assert "Create the Slack app" in stdout.read_text(), "how to connect a real workspace"
        assert len(people_of(url)) == 5
        with urllib.request.urlopen(url, timeout=10) as page:
            assert b"/static/app.js" in page.read()
    assert (tmp_path / "demo" / "sandbox.db").is_file()
    assert (tmp_path / "demo" / "sandbox-slack.json").is_file()
    with started("sandbox", "--port", "0", "--dir", "demo", cwd=tmp_path) as (url, stdout):
        assert f"the sandbox kept in {tmp_path / 'demo'}; --fresh starts over" in stdout.read_text()


def test_make_run_without_slack_settings_starts_the_sandbox(tmp_path: Path) -> None:
    """`make run` runs `copbot run --sandbox-if-unconfigured`."""
    with started("run", "--sandbox-if-unconfigured", "--port", "0", cwd=tmp_path) as (url, out):
        assert "no Slack settings in .env" in out.read_text()
        assert "priya" in people_of(url)
    assert (tmp_path / "sandbox.db").is_file()


def test_make_run_honours_port(tmp_path: Path) -> None:
    """`make run PORT=4000` (make hands its command line's variables to the recipe), or PORT
    in .env, picks the sandbox's port as it does the app's."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with started("run", "--sandbox-if-unconfigured", cwd=tmp_path, PORT=str(port)) as (url, _):
        assert url == f"http://127.0.0.1:{port}"
        assert "priya" in people_of(url)


def test_a_half_configured_workspace_is_told_what_is_missing(tmp_path: Path) -> None:
    done = copbot("run", "--sandbox-if-unconfigured", cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-1-2-abc")
    assert_fails_with_one_line(done, "SLACK_SIGNING_SECRET is not set")


def test_a_busy_port_is_one_line_naming_another(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = copbot("sandbox", "--port", str(port), cwd=tmp_path)
    line = assert_fails_with_one_line(done, f"127.0.0.1:{port}")
    assert f"--port {port + 1}" in line


def test_a_damaged_sandbox_file_is_one_line_saying_fresh(tmp_path: Path) -> None:
    (tmp_path / "sandbox.db").write_bytes(b"")
    (tmp_path / "sandbox-slack.json").write_text("{half a file")
    done = copbot("sandbox", "--port", "0", cwd=tmp_path)
    assert_fails_with_one_line(done, "sandbox-slack.json is unreadable", "--fresh")
