"""copbot run's supervisor, with stand-in children (small Python scripts) in a real process:
work processes that exit are started again, the door's exit stops everything, SIGTERM stops
everything cleanly, and children do not outlive a supervisor that was killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.processes import ROOT

pytestmark = pytest.mark.slow

# A child that notes its start and its SIGTERM in `directory/<name>`, then sleeps (or exits
# at once with `code`).
CHILD = """
import pathlib, signal, sys, time
name, directory, code = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
with (directory / name).open("a") as f:
    f.write("started\\n")
def stop(*_):
    with (directory / name).open("a") as f:
        f.write("stopped\\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
if code >= 0:
    sys.exit(code)
while True:
    time.sleep(0.1)
"""

SUPERVISOR = """
import logging, sys
from bot import supervisor
supervisor.FIRST_PAUSE = 0.2
logging.basicConfig(level="INFO")
child, directory, door_code, work_code = sys.argv[1:5]
def argv(name, code):
    return [sys.executable, child, name, directory, code]
children = [
    supervisor.Child("door", argv("door", door_code), essential=True),
    supervisor.Child("work 1", argv("work", work_code), essential=False),
]
sys.exit(supervisor.Supervisor(children, grace=5).run())
"""


def start(tmp_path: Path, *, door: int = -1, work: int = -1) -> subprocess.Popen[str]:
    (tmp_path / "child.py").write_text(CHILD)
    (tmp_path / "supervisor.py").write_text(SUPERVISOR)
    return subprocess.Popen(
        [sys.executable, str(tmp_path / "supervisor.py"), str(tmp_path / "child.py"),
         str(tmp_path), str(door), str(work)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def lines(tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / name
    return path.read_text().split() if path.exists() else []


def until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_sigterm_stops_every_child_and_exits_0(tmp_path: Path) -> None:
    supervisor = start(tmp_path)
    until(lambda: lines(tmp_path, "door") == ["started"] == lines(tmp_path, "work"))
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(30) == 0
    assert lines(tmp_path, "door") == ["started", "stopped"] == lines(tmp_path, "work")


def test_a_work_process_that_exits_is_started_again(tmp_path: Path) -> None:
    supervisor = start(tmp_path, work=3)
    until(lambda: lines(tmp_path, "work").count("started") >= 3)  # and again, and again
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(30) == 0
    assert "work 1 exited (3): starting it in" in supervisor.stderr.read()  # type: ignore[union-attr]


def test_the_doors_exit_stops_everything_with_its_code(tmp_path: Path) -> None:
    supervisor = start(tmp_path, door=4)
    assert supervisor.wait(30) == 4
    assert lines(tmp_path, "work")[-1] == "stopped"


def test_children_do_not_outlive_a_killed_supervisor(tmp_path: Path) -> None:
    supervisor = start(tmp_path)
    until(lambda: lines(tmp_path, "door") == ["started"] == lines(tmp_path, "work"))
    supervisor.kill()
    supervisor.wait(30)
    until(lambda: lines(tmp_path, "door") == ["started", "stopped"] == lines(tmp_path, "work"))
