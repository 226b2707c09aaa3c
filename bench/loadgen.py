"""The load generator: Slack's side of HTTP, in a process of its own (asyncio, one event loop).

Open loop: request i is due at start + i / rate and sent then, on a new TCP connection (as
Slack does), however many earlier ones are still waiting; its time to ack is counted from
when it was due, so a server that falls behind is charged for the wait it causes (no
coordinated omission). Closed loop: `clients` senders, each sending its next request as soon
as the previous one is answered. A request not answered within `timeout` seconds gets status
TIMED_OUT (0), one whose connection failed (refused, reset, closed before an answer)
NO_CONNECTION (1). Requests go to the addresses in turn.

The parent talks to it over a multiprocessing Pipe (bench/load_procs.Remote): it sends a
("open" | "closed", kwargs) pair and gets back a list of Outcome tuples in request order.
"""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

TIMED_OUT = 0  # the status of a request not answered within the timeout
NO_CONNECTION = 1  # and of one whose connection failed


class Outcome(NamedTuple):
    """One request's fate: HTTP status (or TIMED_OUT, NO_CONNECTION), seconds from when it
    was due to its answer, seconds it was sent late, and when it was answered (monotonic)."""

    status: int
    latency: float
    lag: float
    done: float


async def _exchange(address: tuple[str, int], data: bytes) -> int:
    """Send one request on a new connection; its status once the whole answer is read."""
    reader, writer = await asyncio.open_connection(*address)
    try:
        writer.write(data)
        await writer.drain()
        status_line = await reader.readline()
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if length:
            await reader.readexactly(length)
        return int(status_line.split()[1])
    finally:
        writer.close()


async def _one(address: tuple[str, int], data: bytes, due: float, timeout: float) -> Outcome:
    loop = asyncio.get_running_loop()
    lag = loop.time() - due
    try:
        status = await asyncio.wait_for(_exchange(address, data), timeout)
    except TimeoutError:
        status = TIMED_OUT
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
        status = NO_CONNECTION
    done = loop.time()
    return Outcome(status, done - due, max(0.0, lag), done)


async def open_loop(
    requests: Sequence[bytes],
    *,
    rate: float,
    addresses: Sequence[tuple[str, int]],
    timeout: float,
    start: float | None = None,
) -> list[Outcome]:
    """Each request at its due time; all outcomes once the last one is answered."""
    loop = asyncio.get_running_loop()
    begin = start if start is not None else loop.time() + 0.05
    tasks = []
    for i, data in enumerate(requests):
        due = begin + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        address = addresses[i % len(addresses)]
        tasks.append(asyncio.create_task(_one(address, data, due, timeout)))
    return list(await asyncio.gather(*tasks))


async def closed_loop(
    requests: Sequence[bytes],
    *,
    clients: int,
    seconds: float,
    addresses: Sequence[tuple[str, int]],
    timeout: float,
) -> list[Outcome]:
    """`clients` senders for `seconds` (or until the requests run out); outcomes of those sent."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    outcomes: dict[int, Outcome] = {}
    turn = iter(range(len(requests)))

    async def client() -> None:
        for i in turn:
            if loop.time() >= end:
                return
            outcomes[i] = await _one(
                addresses[i % len(addresses)], requests[i], loop.time(), timeout
            )

    await asyncio.gather(*(client() for _ in range(clients)))
    return [outcomes[i] for i in sorted(outcomes)]


def serve(conn: Connection) -> None:
    """The process's main: run what the parent asks, one thing at a time, until told to stop."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # thousands of sockets at once
    conn.send({"ready": True})
    while True:
        try:
            what, kwargs = conn.recv()
        except EOFError:
            return
        if what == "stop":
            return
        began = _cpu()
        runner: Any = open_loop if what == "open" else closed_loop
        outcomes = asyncio.run(runner(**kwargs))
        conn.send({"outcomes": outcomes, "cpu": _cpu() - began, "now": time.monotonic()})


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
