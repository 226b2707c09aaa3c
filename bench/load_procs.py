"""The processes of the load benchmark: helpers in spawned processes (the stand-in, the load
generator) reached over a Pipe, and the servers under test (`copbot run`, bench.bare) as
subprocesses, with their CPU time and memory read from /proc for the whole process tree."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROXY_VARIABLES = ("https_proxy", "http_proxy", "all_proxy")
TICKS = os.sysconf("SC_CLK_TCK")


class Remote:
    """A helper process started with `target(conn, *args)` (spawned: no thread crosses a fork),
    answering call() over a Pipe; its first message is what it tells about itself."""

    def __init__(self, target: Callable[..., None], *args: Any, name: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=target, args=(child, *args), name=name, daemon=True)
        self.process.start()
        child.close()
        self.hello: dict[str, Any] = self.conn.recv()

    @property
    def pid(self) -> int:
        return int(self.process.pid or 0)

    def call(self, what: str, **kwargs: Any) -> dict[str, Any]:
        self.conn.send((what, kwargs))
        answer: dict[str, Any] = self.conn.recv()
        return answer

    def stop(self) -> None:
        if self.process.is_alive():
            self.conn.send(("stop", {}))
            self.process.join(timeout=15)
        if self.process.is_alive():
            self.process.kill()
        self.conn.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(socket_mode: bool) -> dict[str, str]:
    """This environment less any Slack, copbot and database settings (and, for Socket Mode,
    proxies: slack_sdk's websocket client takes HTTPS_PROXY without NO_PROXY)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "COP_"))
        and k not in ("DATABASE_URL", "LOG_LEVEL", "PORT")
        and not (socket_mode and k.lower() in PROXY_VARIABLES)
    }
    env["PYTHONPATH"] = str(ROOT)
    return env


@dataclass
class Server:
    """One server under test: a subprocess logging to `log`, on `port` (HTTP) or in Socket Mode."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int | None

    @property
    def address(self) -> tuple[str, int]:
        assert self.port is not None
        return ("127.0.0.1", self.port)

    def wait_http(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start; its log:\n{self.log.read_text()[-3000:]}")

    def wait_socket(self, connections: Callable[[], int], timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while connections() < 1:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not connect:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def pids(self) -> list[int]:
        return tree(self.process.pid)

    def cpu(self) -> float:
        """CPU seconds of the whole tree so far, and of the children its processes reaped (a
        work process started again, a gunicorn worker replaced)."""
        return sum(cpu_seconds(pid, reaped=True) for pid in self.pids())

    def work_cpu(self) -> float:
        """CPU seconds so far of the tree's work processes (`copbot work`); the rest of the
        tree is the door (the supervisor, gunicorn's master and workers, or Socket Mode)."""
        return sum(cpu_seconds(pid, reaped=True) for pid in self.pids() if is_work(pid))

    def memory(self) -> tuple[int, int]:
        """Peak and current resident memory of the tree, in bytes (VmHWM, VmRSS summed)."""
        peak = current = 0
        for pid in self.pids():
            status = read(f"/proc/{pid}/status")
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak += int(line.split()[1]) * 1024
                elif line.startswith("VmRSS:"):
                    current += int(line.split()[1]) * 1024
        return peak, current

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def spawn(name: str, args: list[str], env: dict[str, str], cwd: Path, port: int | None) -> Server:
    log = cwd / f"{name}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, *args], env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
    return Server(name, process, log, port)


def start_copbot(
    name: str,
    cwd: Path,
    *,
    database_url: str,
    hello: dict[str, Any],
    socket_mode: bool,
    settings: dict[str, str],
) -> Server:
    """`copbot run` (`--http` on a free port, or Socket Mode), its settings from the
    environment only: cwd is the benchmark's temp dir, so no developer's .env is read."""
    env = clean_env(socket_mode)
    env.update(settings)
    env.update(
        DATABASE_URL=database_url,
        SLACK_API_URL=hello["api_url"],
        SLACK_BOT_TOKEN=hello["bot_token"],
        SLACK_SIGNING_SECRET=settings["SLACK_SIGNING_SECRET"],
    )
    if socket_mode:
        env["SLACK_APP_TOKEN"] = hello["app_token"]
        return spawn(name, ["-m", "bot.cli", "run"], env, cwd, None)
    port = free_port()
    args = ["-m", "bot.cli", "run", "--http", "--host", "127.0.0.1", "--port", str(port)]
    return spawn(name, args, env, cwd, port)


def start_bare(
    name: str, cwd: Path, *, hello: dict[str, Any], socket_mode: bool, workers: int, threads: int
) -> Server:
    args = ["-m", "bench.bare", "--api-url", hello["api_url"], "--token", hello["bot_token"]]
    if socket_mode:
        return spawn(name, [*args, "--app-token", hello["app_token"]], clean_env(True), cwd, None)
    port = free_port()
    args += ["--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    return spawn(name, args, clean_env(False), cwd, port)


# ----- /proc -----------------------------------------------------------------------------------
def read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read()
    except OSError:  # the process is gone
        return ""


def _stat_fields(pid: int) -> list[str]:
    stat = read(f"/proc/{pid}/stat")
    # the command name is in parentheses and may hold spaces: fields start after the last ')'
    return stat[stat.rfind(")") + 2 :].split() if stat else []


def tree(root: int) -> list[int]:
    """`root` and its descendants."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields:
                parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def machine_busy() -> float:
    """CPU seconds every CPU of the machine spent busy so far (/proc/stat: all but idle and
    iowait), whoever it was for: another run on a shared machine shows up here."""
    fields = [int(x) for x in read("/proc/stat").split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICKS


def is_work(pid: int) -> bool:
    """Whether `pid` is one of copbot's work processes (`python -m bot.cli work`)."""
    return read(f"/proc/{pid}/cmdline").split("\0")[-2:-1] == ["work"]


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """utime + stime of `pid` (fields 14 and 15 of /proc/pid/stat), plus its reaped
    children's (16 and 17) when `reaped`."""
    fields = _stat_fields(pid)
    if not fields:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


# ----- what ran, and what it logged -------------------------------------------------------
def machine() -> str:
    """What is measured and where: the commit, any uncommitted change to copbot's code, the
    CPUs and the load average (the machine may be shared)."""

    def git(*words: str) -> str:
        done = subprocess.run(["git", "-C", str(ROOT), *words], capture_output=True, text=True)
        return done.stdout.strip()

    code = "bot handlers storage scheduler sandbox".split()
    changed = git("status", "--porcelain", "--", *code).splitlines()
    dirty = f" + uncommitted changes to {len(changed)} files" if changed else ""
    load = Path("/proc/loadavg").read_text().split()[:3]
    return (
        f"copbot {git('rev-parse', '--short', 'HEAD')}{dirty}; nproc {os.cpu_count()}; "
        f"load average {' '.join(load)}"
    )


PROBLEM = re.compile(r"\b(ERROR|CRITICAL|WARNING)\b|Traceback")
STAMP = re.compile(r"^\S+T\S+\s+|\[\d+\]|\d+")


def log_problems(log: Path) -> list[str]:
    """The log's warnings and errors, alike ones counted together (digits blurred)."""
    seen: Counter[str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        if PROBLEM.search(line):
            seen[STAMP.sub("#", line.strip())[:200]] += 1
    return [f"{log.name}: {n}× {line}" for line, n in seen.most_common(12)]
