"""Slack OAuth installations and states, in copbot's database (Bolt's SQLAlchemy stores)."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from storage import db
from storage.models.installation import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE

STATE_EXPIRES_SECONDS = 600


def installation_store(*, client_id: str) -> SQLAlchemyInstallationStore:
    """Where installations (and their bot tokens) are kept, on the configured engine.

    Args:
        client_id: the Slack app's client id (SLACK_CLIENT_ID).
    """
    return SQLAlchemyInstallationStore(
        client_id=client_id,
        engine=db.get_engine(),
        installations_table_name=INSTALLATIONS_TABLE,
        bots_table_name=BOTS_TABLE,
    )


def state_store() -> SQLAlchemyOAuthStateStore:
    """Where the one-time OAuth `state` values live until the redirect comes back."""
    return SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRES_SECONDS,
        engine=db.get_engine(),
        table_name=OAUTH_STATES_TABLE,
    )
