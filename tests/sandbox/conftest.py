"""A running sandbox (stand-in, page API and the real app) in a temporary directory."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.runner import SandboxFiles, SandboxRunner


class PageClient:
    """What the page's JavaScript does: GET the state, POST an action, as one person."""

    def __init__(self, runner: SandboxRunner, user: str = "UMARCO") -> None:
        self.runner = runner
        self.url = runner.url
        self.user = user

    def state(self, channel: str | None = "CPYTHONGUILD", thread: str | None = None) -> Any:
        query = f"user={self.user}"
        if channel:
            query += f"&channel={channel}"
        if thread:
            query += f"&thread={thread}"
        return self.get(f"/sandbox/state?{query}")

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return json.load(response)

    def post(self, path: str, **body: Any) -> Any:
        body.setdefault("user", self.user)
        data = json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            return {"status": error.code, **json.load(error)}

    def send(self, text: str, channel: str = "CPYTHONGUILD", **kw: Any) -> Any:
        return self.post("/sandbox/send", channel=channel, text=text, **kw)

    def wait_for(self, predicate: Any, timeout: float = 15.0) -> Any:
        return self.runner.standin.wait_for(predicate, timeout=timeout)

    def ephemeral_with(self, needle: str, channel: str = "CPYTHONGUILD") -> Any:
        """Wait until this person sees an ephemeral containing `needle`; return it."""

        def found() -> Any:
            return next(
                (
                    m
                    for m in self.state(channel)["messages"]
                    if m["ephemeral"] and needle in json.dumps(m)
                ),
                None,
            )

        return self.wait_for(found)


@pytest.fixture
def sandbox_dir(tmp_path: Path) -> Path:
    return tmp_path / "sandbox"


@pytest.fixture
def runner(sandbox_dir: Path) -> Iterator[SandboxRunner]:
    with SandboxRunner(SandboxFiles(sandbox_dir), port=0, log_level="WARNING") as running:
        yield running


@pytest.fixture
def page(runner: SandboxRunner) -> PageClient:
    return PageClient(runner)
