"""manifest.yml is a valid Slack app manifest and matches exactly what the code registers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.app import BOT_SCOPES
from handlers import register_handlers
from handlers.commands.router import SUBCOMMANDS
from tests.shared import MANIFEST_SCHEMA, SHARED_SLACK

ROOT = Path(__file__).resolve().parents[1]


class RecordingApp:
    """Stands in for a Bolt App in register(): records what each decorator was called with."""

    def __init__(self) -> None:
        self.registered: dict[str, list[Any]] = {}

    def __getattr__(self, kind: str) -> Callable[..., Callable[[Any], Any]]:
        def decorator_factory(key: Any = None, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
            self.registered.setdefault(kind, []).append(key)
            return lambda func: func

        return decorator_factory


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


@pytest.fixture(scope="module")
def registered() -> dict[str, list[Any]]:
    app = RecordingApp()
    register_handlers(app)
    return app.registered


def test_manifest_validates_against_slacks_schema(manifest: dict[str, Any]) -> None:
    if MANIFEST_SCHEMA is None:
        pytest.skip(f"Slack's manifest schema is not in {SHARED_SLACK}; it ships beside the repo")
    schema = json.loads(MANIFEST_SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def test_every_command_is_registered_and_every_registered_command_is_declared(
    manifest: dict[str, Any], registered: dict[str, list[Any]]
) -> None:
    declared = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert declared == set(registered.get("command", []))


def test_events_match(manifest: dict[str, Any], registered: dict[str, list[Any]]) -> None:
    # "message.channels" and "message.groups" both arrive as the one "message" event
    declared = {e.split(".")[0] for e in manifest["settings"]["event_subscriptions"]["bot_events"]}
    events = registered.get("event", [])
    wired = {
        e if isinstance(e, str) else e["type"] for e in events if not isinstance(e, re.Pattern)
    }
    assert declared == wired
    # and the catch-all (handlers/events/other.py) comes last, after every named listener
    assert isinstance(events[-1], re.Pattern) and events[-1].pattern == ".*"


def test_shortcuts_match(manifest: dict[str, Any], registered: dict[str, list[Any]]) -> None:
    declared = {s["callback_id"] for s in manifest["features"].get("shortcuts", [])}
    assert declared == set(registered.get("shortcut", []))


def test_interactivity_is_on_when_anything_interactive_is_wired(
    manifest: dict[str, Any], registered: dict[str, list[Any]]
) -> None:
    interactive = any(registered.get(k) for k in ("view", "action", "shortcut", "options"))
    assert manifest["settings"]["interactivity"]["is_enabled"] is interactive


def test_scopes_match_what_oauth_installs_ask_for(manifest: dict[str, Any]) -> None:
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


def test_readme_lists_every_subcommand() -> None:
    readme = (ROOT / "README.md").read_text().replace("\\|", "|")
    missing = [s.usage for s in SUBCOMMANDS if f"/cop {s.usage}" not in readme]
    assert missing == []
