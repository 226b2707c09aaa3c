"""The `copbot` command: run the app, and operator tasks."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import (
    ConfigError,
    SandboxSettings,
    Settings,
    load_sandbox_settings,
    load_settings,
    read_environment,
    slack_unconfigured,
)
from bot.logs import configure_logging
from bot.startup import StartupError, prepare_database

log = logging.getLogger("copbot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copbot", description="Communities of practice in Slack.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run copbot (Socket Mode when SLACK_APP_TOKEN is set)")
    _where(run)
    run.add_argument(
        "--sandbox-if-unconfigured",
        action="store_true",
        help="with no Slack settings at all, start the sandbox instead (what `make run` does)",
    )
    run.set_defaults(handler=cmd_run)

    door = sub.add_parser(
        "door", help="only answer Slack, leaving the work to `copbot work` processes"
    )
    _where(door)
    door.set_defaults(handler=cmd_door)

    work = sub.add_parser("work", help="only do the work the door leaves (and scheduled posts)")
    work.set_defaults(handler=cmd_work)

    sandbox = sub.add_parser(
        "sandbox", help="try copbot in a local Slack stand-in with a web page (no Slack needed)"
    )
    sandbox.add_argument(
        "--port",
        type=int,
        default=None,
        help="the page's port on 127.0.0.1 (default: PORT, else 3000)",
    )
    sandbox.add_argument(
        "--fresh", action="store_true", help="forget the previous sandbox and start a new demo"
    )
    sandbox.add_argument(
        "--dir",
        type=Path,
        default=Path("."),
        help="where sandbox.db and sandbox-slack.json live (default: here)",
    )
    sandbox.set_defaults(handler=cmd_sandbox)

    scheduler = sub.add_parser("scheduler", help="scheduled posts")
    scheduler_sub = scheduler.add_subparsers(
        dest="scheduler_command", required=True, metavar="TASK"
    )
    tick = scheduler_sub.add_parser(
        "tick", help="make every scheduled post that is due, once, then exit (for cron)"
    )
    tick.add_argument(
        "--now",
        type=parse_now,
        default=None,
        help="act as if it were this moment, ISO 8601 with an offset (2026-11-27T16:00+01:00)",
    )
    tick.set_defaults(handler=cmd_tick)

    database = sub.add_parser("db", help="database tasks")
    db_sub = database.add_subparsers(dest="db_command", required=True, metavar="TASK")
    upgrade = db_sub.add_parser("upgrade", help="apply migrations up to the latest schema")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    return parser


def _where(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--http", action="store_true", help="serve HTTP even if SLACK_APP_TOKEN is set"
    )
    command.add_argument("--port", type=int, default=None, help="HTTP port (default: PORT or 3000)")
    command.add_argument(
        "--host", default="0.0.0.0", help="HTTP interface to bind (default 0.0.0.0)"
    )


def parse_now(text: str) -> datetime:
    """An ISO 8601 moment for --now; one without an offset is read as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 time: {text!r} (try 2026-11-27T16:00:00+01:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    """copbot scheduler tick [--now ISO8601]."""
    from scheduler.clients import clients_for
    from scheduler.tick import tick
    from storage.clock import utcnow

    prepare_database(settings)
    report = tick(
        now=args.now or utcnow(),
        client_for=clients_for(settings),
        catchup_hours=settings.catchup_hours,
    )
    print(f"copbot: {report.summary()}")
    return 1 if report.failed else 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """copbot db upgrade."""
    prepare_database(settings)
    log.info("database is at the latest schema")
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """copbot run [--http] [--port N] [--host H]."""
    from bot import processes

    prepare_database(settings)  # migrated once, before any other process starts
    port = args.port or settings.port
    return processes.run(settings, http=args.http, host=args.host, port=port)


def cmd_door(args: argparse.Namespace, settings: Settings) -> int:
    """copbot door [--http] [--port N] [--host H]."""
    from bot import processes

    prepare_database(settings)
    port = args.port or settings.port
    return processes.door(settings, http=args.http, host=args.host, port=port, local=False)


def cmd_work(args: argparse.Namespace, settings: Settings) -> int:
    """copbot work."""
    from bot import processes

    prepare_database(settings)
    return processes.work(settings)


def cmd_sandbox(args: argparse.Namespace, settings: SandboxSettings) -> int:
    """copbot sandbox [--port N] [--fresh] [--dir D]: needs no Slack settings at all."""
    # The one product module that imports the sandbox, and only when asked to start it.
    from sandbox.runner import SandboxFiles, SandboxRunner, UnreadableSandbox

    port = settings.port if args.port is None else args.port
    if not 0 <= port <= 65535:
        raise StartupError(f"--port must be between 0 and 65535, got {port}")
    runner = SandboxRunner(
        SandboxFiles(args.dir),
        port=port,
        fresh=args.fresh,
        log_level=settings.log_level,
        spec_path=settings.slack_openapi_spec,
    )
    try:
        runner.start()
    except UnreadableSandbox as exc:
        runner.stop()
        raise StartupError(str(exc)) from None
    except OSError as exc:
        runner.stop()
        raise StartupError(
            f"cannot serve the sandbox on 127.0.0.1:{port} ({exc.strerror or exc}); "
            f"try copbot sandbox --port {port + 1}"
        ) from None
    kept = f"the sandbox kept in {args.dir.resolve()}; --fresh starts over"
    state = "a new demo workspace" if runner.fresh else kept
    print(
        f"copbot sandbox: open {runner.url} in your browser ({state}; Ctrl-C stops it).\n"
        "To connect a real Slack workspace instead, fill in .env (see README: "
        "Create the Slack app) and run `make run` again.",
        flush=True,
    )
    signal.signal(signal.SIGTERM, lambda *_: runner.request_stop())
    try:
        runner.wait()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        runner.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `copbot` console script."""
    args = build_parser().parse_args(argv)
    env = read_environment()
    wants_sandbox = args.command == "sandbox" or (
        getattr(args, "sandbox_if_unconfigured", False) and slack_unconfigured(env)
    )
    try:
        settings: Settings | SandboxSettings = (
            load_sandbox_settings(env) if wants_sandbox else load_settings(env)
        )
    except ConfigError as exc:
        print(f"copbot: {exc} (see .env.example)", file=sys.stderr)
        return 2
    if wants_sandbox and args.command != "sandbox":
        print("copbot: no Slack settings in .env, so starting the local sandbox.", flush=True)
        port = ["--port", str(args.port)] if args.port is not None else []
        args = build_parser().parse_args(["sandbox", *port])
    configure_logging(settings.log_level)
    return _guarded(args.handler, args, settings)


def _guarded(handler: Any, *args: Any) -> int:
    try:
        return int(handler(*args))
    except StartupError as exc:
        print(f"copbot: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
