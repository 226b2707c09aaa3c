"""`copbot sandbox`: the stand-in with its page, and the real copbot app wired to it."""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.config import Settings
from scheduler.clients import clients_for
from scheduler.tick import tick
from storage.migrate import prepare_database

from .clock import SandboxClock
from .driver import Sandbox
from .persist import load, save
from .seed import seed_activity, seed_people, seed_talk
from .serve import ServedApp
from .web import SandboxPages
from .workspace import SandboxStandIn

log = logging.getLogger("copbot.sandbox")
SAVE_EVERY = 2.0  # seconds between saves of the Slack side, when it has changed
TICK_EVERY = 30.0  # seconds between scheduler runs at the sandbox clock's time


class UnreadableSandbox(Exception):
    """The kept sandbox cannot be loaded; the message says which file and what to do."""


@dataclass(frozen=True)
class SandboxFiles:
    """Where a sandbox keeps its data: copbot's database and the Slack side's JSON."""

    directory: Path

    @property
    def database(self) -> Path:
        return self.directory / "sandbox.db"

    @property
    def slack(self) -> Path:
        return self.directory / "sandbox-slack.json"

    def exist(self) -> bool:
        return self.database.is_file() and self.slack.is_file()

    def remove(self) -> None:
        for path in (self.database, self.slack, *self.directory.glob("sandbox.db-*")):
            path.unlink(missing_ok=True)


class SandboxRunner:
    """Starts and stops everything `copbot sandbox` runs, in this process.

    Args:
        files: where the data lives; a sandbox without both files starts from the demo seed.
        port: the page's port on 127.0.0.1 (0: any free one).
        fresh: forget the previous sandbox and seed a new one.
        log_level: copbot's log level.
        spec_path: Slack's Web API OpenAPI spec; when given, the stand-in checks calls with it.
    """

    def __init__(
        self,
        files: SandboxFiles,
        *,
        port: int = 3000,
        fresh: bool = False,
        log_level: str = "INFO",
        spec_path: Path | None = None,
    ) -> None:
        self.files = files
        self.fresh = fresh or not files.exist()
        self.log_level = log_level
        self.standin = SandboxStandIn(port=port, spec_path=spec_path)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._served: ServedApp | None = None
        self.sandbox: Sandbox | None = None
        self.clock = SandboxClock()

    @property
    def url(self) -> str:
        return self.standin.base_url

    def start(self) -> SandboxRunner:
        self.files.directory.mkdir(parents=True, exist_ok=True)
        if self.fresh:
            self.files.remove()
            self.clock.reset()
        else:
            try:
                load(self.standin, self.files.slack)
            except (ValueError, KeyError, TypeError) as exc:
                raise UnreadableSandbox(
                    f"{self.files.slack} is unreadable ({exc}); start over with --fresh"
                ) from None
        self.standin.start()
        secret = secrets.token_hex(16)
        settings = Settings(
            slack_signing_secret=secret,
            slack_bot_token=self.standin.bot_token,
            slack_api_url=self.standin.api_url,
            database_url=f"sqlite:///{self.files.database.resolve()}",
            log_level=self.log_level,
        )
        prepare_database(settings.database_url)
        self._served = ServedApp(self.standin, settings).start()
        self.sandbox = Sandbox(
            self.standin, self._served.sender, clock=self.clock, ticker=self._ticker(settings)
        )
        self.standin.pages = SandboxPages(self.sandbox)
        if self.fresh:
            seed_people(self.sandbox)
            seed_talk(self.sandbox)
            seed_activity(self.sandbox)
            save(self.standin, self.files.slack)
        self._spawn("sandbox-save", self._keep_saving)
        self._spawn("sandbox-tick", self._keep_ticking)
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._served is not None:
            self._served.stop()
        for thread in self._threads:
            thread.join(timeout=10)
        self.standin.stop()
        if self.sandbox is not None:
            save(self.standin, self.files.slack)
        self.clock.reset()

    def __enter__(self) -> SandboxRunner:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def request_stop(self) -> None:
        """Make wait() return (from a signal handler: stop() itself runs in the caller)."""
        self._stop.set()

    def wait(self) -> None:
        """Block until stop() or Ctrl-C."""
        while not self._stop.wait(0.5):
            pass

    # ----- background work ------------------------------------------------------------------------
    def _spawn(self, name: str, target: Any) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _ticker(self, settings: Settings) -> Any:
        client_for = clients_for(settings)

        def run(now: datetime) -> str:
            report = tick(now=now, client_for=client_for, catchup_hours=settings.catchup_hours)
            return report.summary()

        return run

    def _keep_ticking(self) -> None:
        """Scheduled posts come due by themselves too, at the sandbox clock's time."""
        while not self._stop.wait(TICK_EVERY):
            try:
                assert self.sandbox is not None
                self.sandbox.ticker(self.sandbox.clock.now())
            except Exception:
                log.exception("sandbox: the scheduler tick failed")

    def _keep_saving(self) -> None:
        saved = self.standin.version
        while not self._stop.wait(SAVE_EVERY):
            if self.standin.version != saved:
                saved = self.standin.version
                try:
                    save(self.standin, self.files.slack)
                except OSError:
                    log.exception("sandbox: cannot save %s", self.files.slack)
