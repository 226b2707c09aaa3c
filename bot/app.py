"""create_app(): the Bolt App with its client, stores, middleware, error handler and listeners."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings

from bot.config import Settings
from bot.errors import handle_error
from bot.inbox import record_events
from bot.middleware import client_middleware, settings_middleware
from bot.slack_client import make_client
from handlers import register_handlers
from storage.installations import installation_store, state_store

LISTENER_THREADS = 16
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


def create_app(settings: Settings, *, listener_executor: Executor | None = None) -> App:
    """Build the Bolt App; the database must already be configured (storage.db.configure).

    Args:
        settings: the loaded configuration.
        listener_executor: runs listeners after ack(); tests pass one they can wait on.
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
        listener_executor=listener_executor or ThreadPoolExecutor(max_workers=LISTENER_THREADS),
        # Bolt's dev-mode check for unhandled requests logs suggestions meant for humans only.
        raise_error_for_unhandled_request=False,
    )
    app.middleware(settings_middleware(settings))
    app.middleware(client_middleware(client))
    app.middleware(record_events)
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
