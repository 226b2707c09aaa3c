"""The processes of `copbot run`: the door (HTTP or Socket Mode) and the work.

- `run`: with COP_WORK_PROCESSES above 0, the door and that many work processes under a
  supervisor (bot/supervisor.py); with 0, one process that answers and works.
- `door`: records and answers what Slack sends; the work is left for work processes (or,
  in one process, done here too). HTTP through gunicorn (bot/server.py), each of its workers
  with its own app; or Socket Mode.
- `work`: takes work from the inbox and does it (bot/worker.py), and runs the scheduler.

Each stops cleanly on SIGTERM (docker stop, systemd, Kubernetes) as on Ctrl-C, exit 0.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

from bot.config import Settings
from bot.startup import StartupError, pool_size, slack_checked, start_scheduler

log = logging.getLogger("copbot")

WORK_FINISH_SECONDS = 20  # what running work gets to finish when its process stops
# A work process yields the CPU to the door (and the rest of the machine): when the CPU is
# short, Slack's answers stay quick and the backlog waits in the inbox instead.
WORK_NICENESS = 10


def run(settings: Settings, *, http: bool, host: str, port: int) -> int:
    """`copbot run`: the door and the work processes, or one process doing both."""
    if settings.work_processes == 0:
        return door(settings, http=http, host=host, port=port, local=True)
    from bot.app import create_app
    from bot.supervisor import Child, Supervisor, copbot_argv
    from storage import db

    slack_checked(create_app, settings)  # one clear line now, not a crash in every child
    db.get_engine().dispose()
    where = ["--http"] if http else []
    where += ["--host", host, "--port", str(port)]
    children = [Child("door", copbot_argv("door", *where), essential=True)]
    children += [
        Child(f"work {n}", copbot_argv("work"), essential=False)
        for n in range(1, settings.work_processes + 1)
    ]
    log.info("copbot starting its door and %s work processes", settings.work_processes)
    return Supervisor(children).run()


def door(settings: Settings, *, http: bool, host: str, port: int, local: bool) -> int:
    """`copbot door`: answer Slack over Socket Mode, or HTTP when asked or without an app
    token; `local` does the work here too."""
    if not local:
        from storage import db, writers

        writers.go_first()  # an ack waits for its record; the work processes' writes do not
        db.get_engine().dispose()  # connections made from now on are the door's
    if settings.socket_mode and not http:
        return _socket_mode(settings, local=local)
    return _http(settings, host=host, port=port, local=local)


def work(settings: Settings) -> int:
    """`copbot work`: take work from the inbox and do it, until SIGTERM or Ctrl-C."""
    from bot.app import create_worker

    os.nice(WORK_NICENESS)
    worker = slack_checked(create_worker, settings)
    scheduler = start_scheduler(settings, redo=None)  # taking what is due is this loop's job
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()
        worker.stop_taking()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("copbot taking work (%s threads a lane)", settings.work_threads)
    try:
        worker.keep_taking()
    finally:
        log.info("stopping")
        worker.close(wait=WORK_FINISH_SECONDS)
        scheduler.shutdown(wait=False)
    log.info("stopped")
    return 0


def _socket_mode(settings: Settings, *, local: bool) -> int:
    from slack_sdk.errors import SlackApiError

    from bot.app import create_door
    from bot.socket_mode import DoorSocketModeHandler

    the_door = slack_checked(lambda s: create_door(s, local=local), settings)
    scheduler = start_scheduler(settings, redo=the_door.worker.take_due) if local else None
    # SIGTERM (docker stop, systemd, Kubernetes) stops it as Ctrl-C does: cleanly, exit 0.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    assert settings.slack_app_token is not None
    handler = DoorSocketModeHandler(the_door, settings.slack_app_token)
    log.info("copbot connecting to Slack in Socket Mode")
    try:
        handler.start()
    except SlackApiError as exc:
        code = exc.response.get("error") if exc.response is not None else None
        raise StartupError(
            f"Slack refused the app token (SLACK_APP_TOKEN): {code or exc}"
        ) from None
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        handler.close()
        the_door.close(wait=WORK_FINISH_SECONDS)
        if scheduler is not None:
            scheduler.shutdown(wait=False)
    log.info("stopped")
    return 0


def _http(settings: Settings, *, host: str, port: int, local: bool) -> int:
    from bot.app import create_app, create_door
    from bot.http import CopbotWSGI
    from bot.server import CopbotServer, Served
    from storage import db

    slack_checked(create_app, settings)  # the token is checked here, once, not in each worker
    db.get_engine().dispose()  # no pooled connection crosses the fork to the workers

    def build() -> Served:
        db.configure(settings.database_url, pool_size=pool_size(settings))  # this worker's
        the_door = slack_checked(lambda s: create_door(s, local=local), settings)
        scheduler = start_scheduler(settings, redo=the_door.worker.take_due) if local else None

        def stop() -> None:
            the_door.close(wait=WORK_FINISH_SECONDS)
            if scheduler is not None:
                scheduler.shutdown(wait=False)

        return Served(CopbotWSGI(the_door, settings.slack_signing_secret), stop)

    log.info(
        "copbot listening on http://%s:%s/slack/events (%s workers × %s threads)",
        host,
        port,
        settings.http_workers,
        settings.http_threads,
    )
    CopbotServer(
        build,
        host=host,
        port=port,
        workers=settings.http_workers,
        threads=settings.http_threads,
        log_level=settings.log_level,
    ).run()
    return 0
