"""The load benchmark's figures: each phase's statistics, the Markdown tables, the verdicts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.load_effects import Effects
from bench.load_traffic import KINDS
from bench.loadgen import NO_CONNECTION, TIMED_OUT, Outcome

SLACK_SECONDS = 3.0  # Slack gives up on an answer after 3 seconds
TARGET_LEVELS = (200, 400)
TARGET_P99_MS = 100.0
TARGET_P99_RATIO = 3.0
TARGET_CLOSED_SHARE = 0.5
TARGET_DRAIN_SECONDS = 30.0


@dataclass
class Phase:
    """One load on one app: an open-loop level (`rate` a second) or the closed loop."""

    app: str  # "copbot" or "bare"
    rate: float | None  # None: closed loop
    seconds: float
    outcomes: list[Outcome]
    loadgen_cpu: float = 0.0
    drain: float | None = None  # seconds from the last send until no inbox row was pending
    drained: bool = True
    cores: float | None = None  # the app's CPU seconds over the phase (and drain), per second
    standin_cores: float = 0.0  # the same for its Slack stand-in (is Slack the bottleneck?)
    machine_cores: float = 0.0  # and for the whole machine, whoever used it

    @property
    def label(self) -> str:
        return f"{self.rate:g}/s" if self.rate is not None else "closed"

    def latencies_ms(self) -> list[float]:
        return sorted(o.latency * 1000 for o in self.outcomes)

    def percentile(self, q: float) -> float:
        values = self.latencies_ms()
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(q * len(values)))]

    @property
    def non_200(self) -> int:
        return sum(o.status != 200 for o in self.outcomes)

    def failures(self) -> str:
        """The non-200s by what they were: "503×3, timeout×40"."""
        names = {TIMED_OUT: "timeout", NO_CONNECTION: "no connection"}
        seen = Counter(names.get(o.status, str(o.status)) for o in self.outcomes if o.status != 200)
        return ", ".join(f"{name}×{n}" for name, n in seen.most_common())

    @property
    def over_3s(self) -> int:
        return sum(o.latency > SLACK_SECONDS for o in self.outcomes)

    @property
    def throughput(self) -> float:
        """Requests answered 200 a second, from the first due time to the last answer."""
        ok = [o for o in self.outcomes if o.status == 200]
        if not ok:
            return 0.0
        first = min(o.done - o.latency for o in self.outcomes)
        last = max(o.done for o in ok)
        return len(ok) / max(last - first, 1e-9)

    @property
    def lag_p99_ms(self) -> float:
        lags = sorted(o.lag * 1000 for o in self.outcomes)
        return lags[min(len(lags) - 1, int(0.99 * len(lags)))] if lags else 0.0


@dataclass
class TargetResult:
    name: str
    phases: list[Phase] = field(default_factory=list)
    cpu_ms: dict[str, dict[str, float]] = field(default_factory=dict)  # app -> kind -> ms
    memory: dict[str, tuple[int, int]] = field(default_factory=dict)  # app -> (peak, now)
    effects: Effects | None = None
    log_problems: list[str] = field(default_factory=list)
    standin_failures: dict[str, int] = field(default_factory=dict)

    def phase(self, app: str, rate: float | None) -> Phase | None:
        found = [p for p in self.phases if p.app == app and p.rate == rate]
        return found[-1] if found else None


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def load_table(results: Sequence[TargetResult]) -> str:
    rows = [
        "| target | load | copbot p50 / p99 ack ms | bare p50 / p99 ms | copbot ack'd/s | "
        "bare ack'd/s | copbot non-200 | over 3 s | backlog drained in | copbot CPU | "
        "machine CPU |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for phase in [p for p in result.phases if p.app == "copbot"]:
            bare = result.phase("bare", phase.rate)
            bare_lat = (
                f"{_ms(bare.percentile(0.5))} / {_ms(bare.percentile(0.99))}" if bare else "–"
            )
            bare_tput = f"{bare.throughput:.0f}" if bare else "–"
            drain = "–" if phase.drain is None else f"{phase.drain:.1f} s"
            if not phase.drained:
                drain = f"> {phase.drain:.0f} s (not drained)"
            load = phase.label if phase.rate is not None else "closed, 16 clients"
            failures = f" ({phase.failures()})" if phase.non_200 else ""
            cores = "–" if phase.cores is None else f"{phase.cores:.2f} cores"
            rows.append(
                f"| {result.name} | {load} | {_ms(phase.percentile(0.5))} / "
                f"{_ms(phase.percentile(0.99))} | {bare_lat} | {phase.throughput:.0f} | "
                f"{bare_tput} | {phase.non_200} of {len(phase.outcomes)}{failures} | "
                f"{phase.over_3s} | {drain} | {cores} | {phase.machine_cores:.2f} cores |"
            )
    return "\n".join(rows)


def cpu_table(results: Sequence[TargetResult]) -> str:
    rows = [
        "| target | app | " + " | ".join(KINDS) + " | peak memory |",
        "|---|---|" + "---|" * (len(KINDS) + 1),
    ]
    for result in results:
        for app, per_kind in result.cpu_ms.items():
            cells = " | ".join(f"{per_kind.get(k, float('nan')):.1f}" for k in KINDS)
            peak = result.memory.get(app, (0, 0))[0] / 2**20
            rows.append(f"| {result.name} | {app} | {cells} | {peak:.0f} MiB |")
    return "\n".join(rows)


def effects_table(results: Sequence[TargetResult]) -> str:
    rows = [
        "| target | kind | answered 200 | not 200 | lost | answered once for two asks | doubled | "
        "not 200 but done |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        if result.effects is None:
            continue
        for kind, t in result.effects.by_kind.items():
            rows.append(
                f"| {result.name} | {kind} | {t.ok} | {t.failed} | {t.lost} | {t.asked_again} | "
                f"{t.doubled} | {t.done_anyway} |"
            )
    return "\n".join(rows)


def verdict(result: TargetResult) -> str:
    """One line: whether the targets of issue 15 are met, and which are not."""
    misses: list[str] = []
    unmeasured: list[str] = []
    for level in TARGET_LEVELS:
        mine, bare = result.phase("copbot", level), result.phase("bare", level)
        if mine is None:
            unmeasured.append(f"{level}/s")
            continue
        p99 = mine.percentile(0.99)
        if mine.non_200:
            misses.append(f"{mine.non_200} non-200 at {level}/s")
        if mine.over_3s:
            misses.append(f"{mine.over_3s} over 3 s at {level}/s")
        if p99 >= TARGET_P99_MS:
            misses.append(f"p99 {p99:.0f} ms at {level}/s (≥ {TARGET_P99_MS:.0f})")
        if bare is not None and p99 > TARGET_P99_RATIO * bare.percentile(0.99):
            ratio = p99 / max(bare.percentile(0.99), 1e-9)
            misses.append(f"p99 {ratio:.1f}× the bare app's at {level}/s")
    closed, bare_closed = result.phase("copbot", None), result.phase("bare", None)
    if closed is None or bare_closed is None:
        unmeasured.append("closed loop")
    elif closed.throughput < TARGET_CLOSED_SHARE * bare_closed.throughput:
        share = closed.throughput / max(bare_closed.throughput, 1e-9)
        misses.append(f"closed loop {share:.0%} of the bare app's")
    last = result.phase("copbot", 400)
    if last is not None and (not last.drained or (last.drain or 0) > TARGET_DRAIN_SECONDS):
        misses.append(f"backlog after 400/s drained in {last.drain:.0f} s")
    if result.effects is not None and (result.effects.lost or result.effects.doubled):
        effects = result.effects
        misses.append(f"{effects.lost} lost, {effects.doubled} doubled")
    state = "NOT met" if misses else "met"
    line = f"{result.name}: targets {state}"
    if misses:
        line += ": " + "; ".join(misses)
    if unmeasured:
        line += f" (not measured: {', '.join(unmeasured)})"
    return line
