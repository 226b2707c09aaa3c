"""Every setting copbot reads, from the environment over `.env`: the one place that reads them.

`Settings` is what the app runs on; `SandboxSettings` is the little the sandbox needs (it
brings its own Slack). Nothing else in copbot reads `os.environ` or `.env`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

SLACK_API_DEFAULT = "https://slack.com/api/"
DATABASE_DEFAULT = "sqlite:///./copbot.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Values people leave in a copied .env.example; treated as "not set".
PLACEHOLDERS = ("changeme", "change-me", "your-", "...", "<")


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment."""

    slack_signing_secret: str
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    database_url: str = DATABASE_DEFAULT
    default_timezone: str = "UTC"
    catchup_hours: int = 12
    message_retention_days: int = 30
    slack_timeout: int = 15
    log_level: str = "INFO"
    port: int = 3000
    # HTTP mode's server (bot/server.py): worker processes, and request threads in each
    http_workers: int = 2
    http_threads: int = 16
    # threads of each work lane that runs listeners (bot/work.py), in every process
    work_threads: int = 8
    # processes doing the work beside the door (bot/processes.py); 0: the door does it
    work_processes: int = 2

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)


def _is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return any(marker in lowered for marker in PLACEHOLDERS)


class _Reader:
    """Reads and validates one setting at a time, raising ConfigError naming it."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def text(self, name: str, *, required: bool = False, prefix: str | None = None) -> str | None:
        raw = self.env.get(name)
        value = raw.strip() if raw is not None else ""
        if not value:
            if required:
                raise ConfigError(f"{name} is not set")
            return None
        if _is_placeholder(value):
            raise ConfigError(f"{name} still holds the placeholder from .env.example")
        if prefix and not value.startswith(prefix):
            raise ConfigError(f"{name} should start with '{prefix}'")
        return value

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        raw = (self.env.get(name) or "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
        if not low <= value <= high:
            raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
        return value

    def url(self, name: str, default: str, *, schemes: tuple[str, ...]) -> str:
        value = (self.env.get(name) or "").strip() or default
        if not value.startswith(schemes):
            raise ConfigError(f"{name} must start with one of {', '.join(schemes)}, got {value!r}")
        return value


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at psycopg 3, the driver copbot ships with."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def read_environment(dotenv_path: str | Path | None = ".env") -> dict[str, str]:
    """The process environment over the variables of `dotenv_path` (when that file exists).

    Args:
        dotenv_path: the `.env` file; None reads the process environment alone.
    """
    merged: dict[str, str] = {}
    if dotenv_path and Path(dotenv_path).is_file():
        merged.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    merged.update(os.environ)
    return merged


def slack_unconfigured(env: Mapping[str, str]) -> bool:
    """No Slack setting at all: nobody has started connecting a workspace yet."""
    names = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID")
    return not any((env.get(name) or "").strip() for name in names)


def _log_level(env: Mapping[str, str]) -> str:
    log_level = (env.get("LOG_LEVEL") or "").strip().upper() or "INFO"
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}")
    return log_level


@dataclass(frozen=True)
class SandboxSettings:
    """What `copbot sandbox` reads: it needs no Slack settings, it brings its own Slack."""

    log_level: str = "INFO"
    # Slack's Web API OpenAPI spec: when given, the stand-in refuses calls missing a
    # required argument, as Slack would
    slack_openapi_spec: Path | None = None
    port: int = 3000  # the page's port on 127.0.0.1 (PORT, as `copbot run` reads it)


def load_sandbox_settings(env: Mapping[str, str] | None = None) -> SandboxSettings:
    """SandboxSettings from `env` (default: the process environment over `.env`).

    Raises:
        ConfigError: with one line naming the bad setting.
    """
    env = read_environment() if env is None else env
    spec = (env.get("COP_SLACK_OPENAPI_SPEC") or "").strip()
    if spec and not Path(spec).is_file():
        raise ConfigError(f"COP_SLACK_OPENAPI_SPEC names no file: {spec!r}")
    return SandboxSettings(
        log_level=_log_level(env),
        slack_openapi_spec=Path(spec) if spec else None,
        port=_Reader(env).integer("PORT", 3000, low=0, high=65535),
    )


def load_settings(
    env: Mapping[str, str] | None = None, *, dotenv_path: str | Path | None = ".env"
) -> Settings:
    """Build Settings from `env` (default: the process environment over `.env`).

    Args:
        env: explicit variables; when given, `.env` is not read.
        dotenv_path: the `.env` file merged under the process environment.

    Raises:
        ConfigError: with one line naming the first bad setting.
    """
    if env is None:
        env = read_environment(dotenv_path)
    read = _Reader(env)

    client_id = read.text("SLACK_CLIENT_ID")
    client_secret = read.text("SLACK_CLIENT_SECRET", required=bool(client_id))
    if client_secret and not client_id:
        raise ConfigError("SLACK_CLIENT_ID is not set (SLACK_CLIENT_SECRET is)")
    bot_token = read.text("SLACK_BOT_TOKEN", required=not client_id, prefix="xoxb-")

    timezone = (env.get("COP_DEFAULT_TIMEZONE") or "").strip() or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"COP_DEFAULT_TIMEZONE is not an IANA timezone (e.g. Europe/Berlin): {timezone!r}"
        ) from None

    log_level = _log_level(env)

    api_url = read.url("SLACK_API_URL", SLACK_API_DEFAULT, schemes=("http://", "https://"))
    database_url = read.url(
        "DATABASE_URL", DATABASE_DEFAULT, schemes=("sqlite://", "postgresql", "postgres://")
    )
    return Settings(
        slack_signing_secret=read.text("SLACK_SIGNING_SECRET", required=True) or "",
        slack_bot_token=bot_token,
        slack_app_token=read.text("SLACK_APP_TOKEN", prefix="xapp-"),
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
        database_url=normalise_database_url(database_url),
        default_timezone=timezone,
        catchup_hours=read.integer("COP_CATCHUP_HOURS", 12, low=0, high=24 * 7),
        message_retention_days=read.integer("COP_MESSAGE_RETENTION_DAYS", 30, low=1, high=3650),
        slack_timeout=read.integer("COP_SLACK_TIMEOUT", 15, low=1, high=120),
        log_level=log_level,
        port=read.integer("PORT", 3000, low=1, high=65535),
        http_workers=read.integer("COP_HTTP_WORKERS", 2, low=1, high=64),
        http_threads=read.integer("COP_HTTP_THREADS", 16, low=1, high=256),
        work_threads=read.integer("COP_WORK_THREADS", 8, low=1, high=64),
        work_processes=read.integer("COP_WORK_PROCESSES", 2, low=0, high=64),
    )
