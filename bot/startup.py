"""What every copbot process does as it starts: its database, its app, its scheduler; and the
one error a start-up raises for the operator to read."""

from __future__ import annotations

from typing import Any

from bot.config import Settings


class StartupError(Exception):
    """Start-up cannot go on; the message is the one line the operator sees."""


def prepare_database(settings: Settings) -> None:
    """Configure the engine and apply migrations; StartupError when the database is unusable."""
    from storage.migrate import DatabaseUnusable
    from storage.migrate import prepare_database as prepare

    try:
        prepare(settings.database_url, pool_size=pool_size(settings))
    except DatabaseUnusable as exc:
        raise StartupError(str(exc)) from None


def pool_size(settings: Settings) -> int:
    """Database connections for one process: its work lanes' threads and a few more."""
    from bot.work import FORM_THREADS
    from storage.db import pool_size_for

    return pool_size_for(2 * settings.work_threads + FORM_THREADS)


def slack_checked(make: Any, settings: Settings) -> Any:
    """`make(settings)` (an app with its client), with Slack's refusal of the token, or Slack
    out of reach, as a StartupError."""
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackClientError

    try:
        return make(settings)
    except BoltError as exc:
        raise StartupError(f"Slack refused the bot token (SLACK_BOT_TOKEN): {exc}") from None
    except (SlackClientError, OSError) as exc:
        raise StartupError(
            f"cannot reach Slack at SLACK_API_URL ({settings.slack_api_url}): {exc}"
        ) from None


def start_scheduler(settings: Settings, *, redo: Any | None) -> Any:
    """This process's scheduled jobs, started: the tick, repairs, maintenance, and (`redo`)
    the inbox's dropped work handed in again."""
    from scheduler.clients import clients_for
    from scheduler.runner import build_scheduler

    scheduler = build_scheduler(settings, clients_for(settings), redo=redo)
    scheduler.start()
    return scheduler
