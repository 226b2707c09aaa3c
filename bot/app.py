"""create_app(): the Bolt App with its client, stores, middleware, error handler and listeners;
create_worker(): that app with its work lanes (bot/worker.py); create_door(): a worker behind
its door (bot/door.py), which is what copbot serves."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings

from bot.config import Settings
from bot.door import Door
from bot.errors import handle_error
from bot.middleware import client_middleware, not_taken_in, settings_middleware
from bot.slack_client import make_client
from bot.work import Pools
from bot.worker import Worker
from handlers import register_handlers
from storage.installations import installation_store, state_store

# Kept in step with manifest.yml by tests/test_manifest.py.
BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:write",
    "reactions:read",
    "users:read",
)


def create_door(settings: Settings, *, local: bool = True) -> Door:
    """The Bolt app behind its door, with this process's worker; the database must already
    be configured (storage.db.configure).

    Args:
        settings: the loaded configuration.
        local: whether this process does the work too (else work processes take it).
    """
    return Door(create_worker(settings), local=local)


def create_worker(settings: Settings) -> Worker:
    """The Bolt app with this process's work lanes, for a work process (or a door's)."""
    return Worker(create_app(settings), Pools(settings.work_threads))


def create_app(settings: Settings) -> App:
    """Build the Bolt App; the database must already be configured (storage.db.configure).

    Its listeners run in the thread that dispatches to it (process_before_response): the
    door has answered Slack already, and dispatches from a work lane (bot/door.py).

    Args:
        settings: the loaded configuration.
    """
    client = make_client(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout,
    )
    logger = logging.getLogger("copbot")
    logger.addFilter(_not_the_client_token_warning)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret,
        oauth_settings=_oauth_settings(settings) if settings.oauth_enabled else None,
        logger=logger,
        process_before_response=True,
        # Bolt's dev-mode check for unhandled requests logs suggestions meant for humans only.
        raise_error_for_unhandled_request=False,
    )
    app.middleware(settings_middleware(settings))
    app.middleware(client_middleware(client))
    app.middleware(not_taken_in)
    app.error(handle_error)
    register_handlers(app)
    return app


def _not_the_client_token_warning(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns that the client
    # we pass (which already holds that token) wins; that is exactly what we want.
    return "will be unused" not in record.getMessage()


def _oauth_settings(settings: Settings) -> OAuthSettings:
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installation_store(client_id=settings.slack_client_id or ""),
        state_store=state_store(),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
    )
