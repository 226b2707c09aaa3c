"""How the load benchmark sends: over HTTP from the load generator (bench/loadgen.py), or over
Socket Mode from the stand-in, where Slack's websocket is (bench/standin_process.py). Either way
a phase's requests go in one call and come back as Outcomes in request order, with the CPU the
sender used."""

from __future__ import annotations

from bench.load_procs import Remote
from bench.load_traffic import Request
from bench.load_world import SIGNING_SECRET
from bench.loadgen import Outcome


class Driver:
    def open(
        self, requests: list[Request], rate: float, timeout: float
    ) -> tuple[list[Outcome], float]:
        raise NotImplementedError

    def closed(
        self, requests: list[Request], clients: int, seconds: float, timeout: float
    ) -> tuple[list[Outcome], float]:
        raise NotImplementedError


class HttpDriver(Driver):
    def __init__(self, generator: Remote, addresses: list[tuple[str, int]]) -> None:
        self.generator, self.addresses = generator, addresses

    def open(
        self, requests: list[Request], rate: float, timeout: float
    ) -> tuple[list[Outcome], float]:
        data = [r.http(SIGNING_SECRET) for r in requests]
        answer = self.generator.call(
            "open", requests=data, rate=rate, addresses=self.addresses, timeout=timeout
        )
        return answer["outcomes"], answer["cpu"]

    def closed(
        self, requests: list[Request], clients: int, seconds: float, timeout: float
    ) -> tuple[list[Outcome], float]:
        data = [r.http(SIGNING_SECRET) for r in requests]
        answer = self.generator.call(
            "closed",
            requests=data,
            clients=clients,
            seconds=seconds,
            addresses=self.addresses,
            timeout=timeout,
        )
        return answer["outcomes"], answer["cpu"]


class SocketDriver(Driver):
    def __init__(self, standin: Remote) -> None:
        self.standin = standin

    def open(
        self, requests: list[Request], rate: float, timeout: float
    ) -> tuple[list[Outcome], float]:
        items = [(r.envelope, r.payload) for r in requests]
        answer = self.standin.call("socket", items=items, rate=rate, timeout=timeout)
        return answer["outcomes"], answer["cpu"]

    def closed(
        self, requests: list[Request], clients: int, seconds: float, timeout: float
    ) -> tuple[list[Outcome], float]:
        items = [(r.envelope, r.payload) for r in requests]
        answer = self.standin.call(
            "socket", items=items, clients=clients, seconds=seconds, timeout=timeout
        )
        return answer["outcomes"], answer["cpu"]
