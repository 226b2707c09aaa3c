"""Load: copbot under Slack's mixed, signed traffic over real HTTP (and Socket Mode), against a
bare Bolt app on the same server in the same run (issue 15).

    .venv/bin/python -m bench.load                                   # everything (~25 min)
    .venv/bin/python -m bench.load --seconds 5 --levels 50,200 --targets sqlite   # quick

For each target (copbot on SQLite; on PostgreSQL; two replicas on one PostgreSQL database,
requests alternated; in Socket Mode on SQLite) and its baseline (bench/bare.py, served the same
way), level by level, the baseline then copbot: open loop at each rate, then a closed loop;
then CPU per request, one kind at a time. copbot's backlog (inbox rows still pending) must
drain before the next step. Afterwards every request's effect is checked: none lost, none
doubled. Prints Markdown tables and one verdict per target. See bench/README.md.
"""

from __future__ import annotations

import argparse
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench import load_effects, loadgen, standin_process
from bench.load_drivers import Driver, HttpDriver, SocketDriver
from bench.load_procs import (
    Remote,
    Server,
    cpu_seconds,
    log_problems,
    machine,
    machine_busy,
    start_bare,
    start_copbot,
)
from bench.load_report import (
    Phase,
    TargetResult,
    cpu_table,
    effects_table,
    load_table,
    verdict,
)
from bench.load_traffic import KINDS, Meta, Request, Traffic
from bench.load_world import SIGNING_SECRET, World, database, make_world, seed_database
from bot.config import Settings, normalise_database_url
from storage import db

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WARMUP = (25.0, 2.0)  # a rate and seconds, before the first level
HTTP_QUIET = 1.0  # seconds with nothing pending nor new in the inbox: the backlog is drained
SOCKET_QUIET = 4.0  # longer than the stand-in's re-sending of unacked events (3 s)


@dataclass(frozen=True)
class Target:
    key: str
    name: str
    postgresql: bool = False
    replicas: int = 1
    socket_mode: bool = False


TARGETS = {
    "sqlite": Target("sqlite", "SQLite"),
    "postgresql": Target("postgresql", "PostgreSQL", postgresql=True),
    "replicas": Target("replicas", "PostgreSQL, 2 replicas", postgresql=True, replicas=2),
    "socket": Target("socket", "Socket Mode, SQLite", socket_mode=True),
}


@dataclass
class Under:
    """An app under load: its servers, its traffic, how to reach it, its backlog."""

    app: str  # "copbot" or "bare"
    servers: list[Server]
    traffic: Traffic
    driver: Driver
    standin: Remote
    socket_mode: bool = False
    pending: Callable[[], tuple[int, int]] | None = None
    sent: list[tuple[Meta, int]] = field(default_factory=list)
    work_ms: dict[str, float] = field(default_factory=dict)  # CPU ms per request in work processes

    def cpu(self) -> float:
        return sum(server.cpu() for server in self.servers)

    def work_cpu(self) -> float:
        return sum(server.work_cpu() for server in self.servers)

    def standin_cpu(self) -> float:
        return cpu_seconds(self.standin.pid)


# ----- one target ------------------------------------------------------------------------------
class Bench:
    def __init__(self, args: argparse.Namespace, world: World, workdir: Path) -> None:
        self.args, self.world, self.workdir = args, world, workdir
        defaults = Settings(slack_signing_secret=SIGNING_SECRET)
        self.workers = args.workers or defaults.http_workers
        self.threads = args.threads or defaults.http_threads
        self.generator: Remote | None = None
        self.left = 0  # inbox rows pending at the last look

    def copbot_settings(self) -> dict[str, str]:
        settings = {"LOG_LEVEL": self.args.log_level, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
        if self.args.workers:
            settings["COP_HTTP_WORKERS"] = str(self.args.workers)
        if self.args.threads:
            settings["COP_HTTP_THREADS"] = str(self.args.threads)
        if self.args.work_threads:
            settings["COP_WORK_THREADS"] = str(self.args.work_threads)
        if self.args.work_processes:
            settings["COP_WORK_PROCESSES"] = str(self.args.work_processes)
        return settings

    def http_generator(self) -> Remote:
        if self.generator is None:
            self.generator = Remote(loadgen.serve, name="bench-loadgen")
        return self.generator

    def run(self, target: Target) -> TargetResult:
        result = TargetResult(target.name)
        server = self.args.database_url if target.postgresql else None
        with ExitStack() as stack:
            url = stack.enter_context(database(server, self.workdir, target.key))
            engine = db.make_engine(url, pool_size=2)
            stack.callback(engine.dispose)
            seed_database(engine, self.world)
            unders = [] if self.args.skip_baseline else [self.start(stack, target, "bare", url)]
            copbot = self.start(stack, target, "copbot", url)
            copbot.pending = lambda: pending(engine)
            unders.append(copbot)
            self.phases(result, target, unders)
            self.drain(copbot, self.args.drain_timeout)
            result.effects = load_effects.check(engine, copbot.sent, copbot.standin.call("counts"))
            result.standin_failures = dict(copbot.standin.call("counts")["failed"])
            for under in unders:
                result.memory[under.app] = self.memory(under)
            for under in unders:
                for server in under.servers:
                    code = server.stop()
                    if code not in (0, None):
                        result.log_problems.append(f"{server.name} exited with {code}")
            for server in copbot.servers:
                result.log_problems.extend(log_problems(server.log))
        return result

    def start(self, stack: ExitStack, target: Target, app: str, url: str) -> Under:
        standin = Remote(standin_process.serve, self.world, name=f"bench-standin-{app}")
        stack.callback(standin.stop)
        hello = standin.hello
        servers: list[Server] = []
        for i in range(target.replicas):
            name = f"{target.key}-{app}-{i + 1}"
            if app == "copbot":
                server = start_copbot(
                    name,
                    self.workdir,
                    database_url=url,
                    hello=hello,
                    socket_mode=target.socket_mode,
                    settings=self.copbot_settings(),
                )
            else:
                server = start_bare(
                    name,
                    self.workdir,
                    hello=hello,
                    socket_mode=target.socket_mode,
                    workers=self.workers,
                    threads=self.threads,
                )
            stack.callback(server.stop)
            if target.socket_mode:
                server.wait_socket(lambda: int(standin.call("connections")["connections"]))
            else:
                server.wait_http()  # one at a time: the first replica migrates
            servers.append(server)

        def urls(pairs: list[tuple[str, str]]) -> list[str]:
            return list(standin.call("response_urls", pairs=pairs)["urls"]) if pairs else []

        seed = self.args.seed + (0 if app == "copbot" else 1000)
        traffic = Traffic(self.world, seed, urls)
        driver: Driver = (
            SocketDriver(standin)
            if target.socket_mode
            else HttpDriver(self.http_generator(), [s.address for s in servers])
        )
        return Under(app, servers, traffic, driver, standin, target.socket_mode)

    # ----- the phases ----------------------------------------------------------------------
    def phases(self, result: TargetResult, target: Target, unders: list[Under]) -> None:
        args = self.args
        for under in unders:
            self.open_level(under, *WARMUP)  # imports, caches and pools warm, not measured
        for level in args.levels:
            for under in unders:
                phase = self.open_level(under, level, args.seconds)
                self.report(result, target, phase)
        if args.closed_seconds > 0:
            for under in unders:
                self.report(result, target, self.closed_loop(under))
        if args.kind_requests > 0:
            for under in unders:
                result.cpu_ms[under.app] = self.cpu_by_kind(under)
                print(
                    f"  {target.name} {under.app:<6} CPU ms per request: "
                    + ", ".join(f"{k} {v:.1f}" for k, v in result.cpu_ms[under.app].items()),
                    flush=True,
                )
                if any(under.work_ms.values()):  # copbot's work processes: how much was theirs
                    print(
                        "    of which in its work processes: "
                        + ", ".join(f"{k} {v:.1f}" for k, v in under.work_ms.items()),
                        flush=True,
                    )

    def open_level(self, under: Under, rate: float, seconds: float) -> Phase:
        requests = under.traffic.mix(max(1, int(rate * seconds)))
        began, cpu, slack, busy = (
            time.monotonic(),
            under.cpu(),
            under.standin_cpu(),
            machine_busy(),
        )
        outcomes, sender_cpu = under.driver.open(requests, rate, self.args.timeout)
        phase = Phase(under.app, rate, seconds, outcomes, sender_cpu)
        self.record(under, requests, phase, (began, cpu, slack, busy))
        return phase

    def closed_loop(self, under: Under) -> Phase:
        args = self.args
        pool = under.traffic.mix(int(args.closed_cap * args.closed_seconds))
        began, cpu, slack, busy = (
            time.monotonic(),
            under.cpu(),
            under.standin_cpu(),
            machine_busy(),
        )
        outcomes, sender_cpu = under.driver.closed(
            pool, args.clients, args.closed_seconds, args.timeout
        )
        phase = Phase(under.app, None, args.closed_seconds, outcomes, sender_cpu)
        self.record(under, pool, phase, (began, cpu, slack, busy))
        return phase

    def record(
        self, under: Under, requests: list[Request], phase: Phase, start: tuple[float, ...]
    ) -> None:
        """Keep what was sent (for the effects), wait for copbot's backlog to drain, and
        count the CPU the app used from the start of the phase until then."""
        under.sent.extend(
            (r.meta, o.status) for r, o in zip(requests, phase.outcomes, strict=False)
        )
        if under.pending is not None and phase.outcomes:
            last_due = max(o.done - o.latency for o in phase.outcomes)
            drained_at = self.drain(under, self.args.drain_timeout)
            phase.drained = drained_at is not None
            phase.drain = max(0.0, (drained_at or time.monotonic()) - last_due)
        began, cpu, slack, busy = start
        elapsed = time.monotonic() - began
        phase.cores = (under.cpu() - cpu) / elapsed
        phase.standin_cores = (under.standin_cpu() - slack) / elapsed
        phase.machine_cores = (machine_busy() - busy) / elapsed

    def drain(self, under: Under, timeout: float) -> float | None:
        """When the inbox last had no pending row and then took in nothing new for `quiet`
        seconds (monotonic), or None after `timeout`. The quiet time counts requests still on
        their way in: in Socket Mode, envelopes unread in copbot's websocket, and Slack's
        re-sending of unacked ones after 3 s."""
        assert under.pending is not None
        quiet = SOCKET_QUIET if under.socket_mode else HTTP_QUIET
        deadline = time.monotonic() + timeout
        idle_since: float | None = None
        seen = -1
        while time.monotonic() < deadline:
            waiting, total = under.pending()
            self.left = waiting
            now = time.monotonic()
            if waiting:
                idle_since = None
            elif total != seen or idle_since is None:
                idle_since = now
            elif now - idle_since >= quiet:
                return idle_since
            seen = total
            time.sleep(0.2)
        return None

    def cpu_by_kind(self, under: Under) -> dict[str, float]:
        """CPU ms per request of each kind sent alone at a moderate rate, the app's idle
        CPU over the same time taken off."""
        args = self.args
        idle_from, idle_cpu, idle_work = time.monotonic(), under.cpu(), under.work_cpu()
        time.sleep(3.0)
        idle_rate = (under.cpu() - idle_cpu) / (time.monotonic() - idle_from)
        idle_work_rate = (under.work_cpu() - idle_work) / (time.monotonic() - idle_from)
        per_kind, work_share = {}, {}
        for kind in KINDS:
            requests = under.traffic.only(kind, args.kind_requests)
            began, cpu, work = time.monotonic(), under.cpu(), under.work_cpu()
            outcomes, _ = under.driver.open(requests, args.kind_rate, args.timeout)
            under.sent.extend((r.meta, o.status) for r, o in zip(requests, outcomes, strict=False))
            if under.pending is not None:
                self.drain(under, args.drain_timeout)
            time.sleep(0.5)  # the last listeners' Web API calls, the bare app's lazy ones
            elapsed = time.monotonic() - began
            used = under.cpu() - cpu - idle_rate * elapsed
            per_kind[kind] = max(0.0, used) / len(requests) * 1000
            worked = under.work_cpu() - work - idle_work_rate * elapsed
            work_share[kind] = max(0.0, worked) / len(requests) * 1000
        under.work_ms = work_share
        return per_kind

    def memory(self, under: Under) -> tuple[int, int]:
        peak = current = 0
        for server in under.servers:
            p, c = server.memory()
            peak, current = peak + p, current + c
        return peak, current

    def report(self, result: TargetResult, target: Target, phase: Phase) -> None:
        result.phases.append(phase)
        failures = f" ({phase.failures()})" if phase.non_200 else ""
        drain = "" if phase.drain is None else f", drained in {phase.drain:.1f} s"
        if not phase.drained:
            drain = f", NOT drained after {phase.drain:.0f} s ({self.left} pending)"
        print(
            f"  {target.name} {phase.app:<6} {phase.label:>7}: p50 {phase.percentile(0.5):.1f} "
            f"p99 {phase.percentile(0.99):.1f} ms, {phase.throughput:.0f} ack'd/s, "
            f"{phase.non_200} non-200 of {len(phase.outcomes)}{failures}, "
            f"{phase.over_3s} over 3 s{drain}, {phase.cores or 0:.2f} cores busy, "
            f"stand-in {phase.standin_cores:.2f}, machine {phase.machine_cores:.2f} "
            f"(sender late p99 {phase.lag_p99_ms:.1f} ms, sender CPU {phase.loadgen_cpu:.1f} s)",
            flush=True,
        )

    def close(self) -> None:
        if self.generator is not None:
            self.generator.stop()


def pending(engine: Engine) -> tuple[int, int]:
    """The inbox's rows still pending, and all its rows."""
    sql = "SELECT sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), count(*) FROM inbox"
    with engine.connect() as conn:
        waiting, total = conn.execute(text(sql)).one()
    return int(waiting or 0), int(total)


# ----- the command line ------------------------------------------------------------------------
def numbers(text_: str) -> list[float]:
    return [float(x) for x in text_.split(",") if x.strip()]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=(__doc__ or "").split("\n")[0]
    )
    add = parser.add_argument
    add("--targets", default="sqlite,postgresql,replicas,socket", help="of " + ", ".join(TARGETS))
    add("--levels", type=numbers, default=[50.0, 100.0, 200.0, 400.0], help="open-loop rates")
    add("--seconds", type=float, default=15.0, help="per open-loop level (default 15)")
    add("--closed-seconds", type=float, default=15.0, help="closed loop; 0 skips it")
    add("--clients", type=int, default=16, help="closed-loop clients (default 16)")
    add(
        "--closed-cap",
        type=float,
        default=1500.0,
        help="requests a second the closed loop's pool is made for",
    )
    add("--kind-requests", type=int, default=80, help="per kind for CPU per request; 0 skips")
    add("--kind-rate", type=float, default=20.0, help="their rate (default 20/s)")
    add("--timeout", type=float, default=10.0, help="the sender's timeout (default 10 s)")
    add("--drain-timeout", type=float, default=240.0, help="longest wait for the backlog")
    add("--skip-baseline", action="store_true", help="no bare Bolt app")
    add("--database-url", default=PG_SERVER, help="the PostgreSQL server (throw-away databases)")
    add("--workers", type=int, default=0, help="COP_HTTP_WORKERS (default copbot's)")
    add("--threads", type=int, default=0, help="COP_HTTP_THREADS (default copbot's)")
    add("--work-threads", type=int, default=0, help="COP_WORK_THREADS (default copbot's)")
    add("--work-processes", type=int, default=0, help="COP_WORK_PROCESSES (default copbot's)")
    add("--log-level", default="INFO", help="copbot's LOG_LEVEL")
    add("--seed", type=int, default=7)
    add("--keep", action="store_true", help="keep the work directory (logs, SQLite files)")
    args = parser.parse_args(argv)
    args.targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    args.database_url = normalise_database_url(args.database_url)
    return args


@contextmanager
def workdir(keep: bool) -> Iterator[Path]:
    if keep:
        path = Path(tempfile.mkdtemp(prefix="copbot-load-"))
        print(f"work directory (kept): {path}")
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="copbot-load-") as tmp:
        yield Path(tmp)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    # Ctrl-C, or kill, stops every process this started (a shell's `&` ignores SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(machine(), flush=True)
    world = make_world(args.seed)
    results: list[TargetResult] = []
    with workdir(args.keep) as path:
        bench = Bench(args, world, path)
        try:
            for key in args.targets:
                target = TARGETS[key]
                print(f"\n{target.name}", flush=True)
                began = time.monotonic()
                results.append(bench.run(target))
                print(f"  ({time.monotonic() - began:.0f} s)", flush=True)
        finally:
            bench.close()
    print_results(args, world, results)


def print_results(args: argparse.Namespace, world: World, results: list[TargetResult]) -> None:
    people = len(world.users)
    print(
        f"\n{len(world.channels)} communities, {people} people, "
        f"{sum(len(m) for m in world.messages.values())} cached messages, "
        f"{len(world.snippets)} snippets; {args.seconds:g} s a level, closed loop "
        f"{args.clients} clients for {args.closed_seconds:g} s\n"
    )
    print(load_table(results))
    if any(r.cpu_ms for r in results):
        print(
            "\nCPU ms per request, each kind alone at "
            f"{args.kind_rate:g}/s; peak memory (VmHWM, all processes)\n"
        )
        print(cpu_table(results))
    print("\nEffects (every request checked)\n")
    print(effects_table(results))
    for result in results:
        assert result.effects is not None
        inbox = ", ".join(f"{n} {s}" for s, n in sorted(result.effects.inbox.items()))
        told = result.effects.will_finish
        print(f"\n{result.name}: inbox {inbox}" + (f"; {told} told to wait" if told else ""))
        for name, n in sorted(result.standin_failures.items()):
            print(f"  stand-in answered {n}× {name}")
        for line in result.log_problems:
            print(f"  {line}")
    print(f"\n{machine()}\n")
    for result in results:
        print(verdict(result))


if __name__ == "__main__":
    main()
