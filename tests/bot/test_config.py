"""load_settings: defaults, one-line errors naming the setting, `.env` and `.env.example`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_sandbox_settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / ".env.example"

# Every setting copbot documents in .env.example.
DOCUMENTED = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_API_URL",
    "DATABASE_URL",
    "COP_DEFAULT_TIMEZONE",
    "COP_CATCHUP_HOURS",
    "COP_MESSAGE_RETENTION_DAYS",
    "LOG_LEVEL",
    "PORT",
    "COP_SLACK_OPENAPI_SPEC",
)
MINIMAL = {"SLACK_SIGNING_SECRET": "0123456789abcdef", "SLACK_BOT_TOKEN": "xoxb-1-2-abc"}
OAUTH = {
    "SLACK_SIGNING_SECRET": "0123456789abcdef",
    "SLACK_CLIENT_ID": "1234.5678",
    "SLACK_CLIENT_SECRET": "client-secret-abc",
}


def load(**values: str) -> Settings:
    """Settings from MINIMAL plus `values`; a value of "" removes the setting."""
    env = {**MINIMAL, **values}
    return load_settings(env={k: v for k, v in env.items() if v != ""}, dotenv_path=None)


def config_error(env: Mapping[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(env=env, dotenv_path=None)
    return str(caught.value)


def assert_one_line_naming(message: str, name: str) -> None:
    assert len(message.splitlines()) == 1, message
    assert name in message, message


# ----- defaults ---------------------------------------------------------------------------------


def test_defaults() -> None:
    settings = load()
    assert settings.slack_signing_secret == "0123456789abcdef"
    assert settings.slack_bot_token == "xoxb-1-2-abc"
    assert settings.slack_app_token is None
    assert settings.slack_client_id is None
    assert settings.database_url == "sqlite:///./copbot.db"
    assert settings.default_timezone == "UTC"
    assert settings.catchup_hours == 12
    assert settings.message_retention_days == 30
    assert settings.port == 3000
    assert settings.log_level == "INFO"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert not settings.oauth_enabled
    assert not settings.socket_mode


def test_settings_are_frozen() -> None:
    settings = load()
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


def test_explicit_values_are_read_and_trimmed() -> None:
    settings = load(
        SLACK_APP_TOKEN="xapp-1-abc",
        COP_DEFAULT_TIMEZONE=" Europe/Berlin ",
        COP_CATCHUP_HOURS="0",
        COP_MESSAGE_RETENTION_DAYS="7",
        LOG_LEVEL="debug",
        PORT="8080",
        DATABASE_URL="sqlite:////var/lib/copbot/copbot.db",
    )
    assert settings.slack_app_token == "xapp-1-abc"
    assert settings.socket_mode
    assert settings.default_timezone == "Europe/Berlin"
    assert settings.catchup_hours == 0
    assert settings.message_retention_days == 7
    assert settings.log_level == "DEBUG"
    assert settings.port == 8080
    assert settings.database_url == "sqlite:////var/lib/copbot/copbot.db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:9000/api", "http://127.0.0.1:9000/api/"),
        ("http://127.0.0.1:9000/api/", "http://127.0.0.1:9000/api/"),
        ("https://slack.example/api", "https://slack.example/api/"),
    ],
)
def test_api_url_gets_a_trailing_slash(given: str, expected: str) -> None:
    assert load(SLACK_API_URL=given).slack_api_url == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/cop", "postgresql+psycopg://u:p@db:5432/cop"),
        ("postgresql://u:p@db:5432/cop", "postgresql+psycopg://u:p@db:5432/cop"),
        ("postgresql+psycopg://u:p@db/cop", "postgresql+psycopg://u:p@db/cop"),
        ("sqlite:///copbot.db", "sqlite:///copbot.db"),
    ],
)
def test_postgres_urls_use_psycopg3(given: str, expected: str) -> None:
    assert load(DATABASE_URL=given).database_url == expected


def test_oauth_makes_the_bot_token_optional() -> None:
    settings = load_settings(env=OAUTH, dotenv_path=None)
    assert settings.oauth_enabled
    assert settings.slack_bot_token is None
    assert settings.slack_client_id == "1234.5678"


def test_a_state_secret_left_from_older_versions_is_harmless() -> None:
    """OAuth state lives in the database (Bolt's state store); no secret signs it."""
    settings = load_settings(env={**OAUTH, "SLACK_STATE_SECRET": "old-value"}, dotenv_path=None)
    assert settings == load_settings(env=OAUTH, dotenv_path=None)


# ----- one clear line naming the bad setting ---------------------------------------------------


def test_missing_signing_secret() -> None:
    message = config_error({"SLACK_BOT_TOKEN": "xoxb-1-2-abc"})
    assert_one_line_naming(message, "SLACK_SIGNING_SECRET")
    assert "SLACK_SIGNING_SECRET is not set" in message


def test_blank_signing_secret_counts_as_missing() -> None:
    message = config_error({**MINIMAL, "SLACK_SIGNING_SECRET": "   "})
    assert "SLACK_SIGNING_SECRET is not set" in message


def test_bot_token_is_required_without_oauth() -> None:
    message = config_error({"SLACK_SIGNING_SECRET": "0123456789abcdef"})
    assert_one_line_naming(message, "SLACK_BOT_TOKEN")
    assert "not set" in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-1-2-abc"),  # a user token
        ("SLACK_BOT_TOKEN", "xapp-1-abc"),
        ("SLACK_BOT_TOKEN", "abc"),
        ("SLACK_APP_TOKEN", "xoxb-1-2-abc"),
        ("SLACK_APP_TOKEN", "abc"),
        ("COP_DEFAULT_TIMEZONE", "Mars/Olympus"),
        ("COP_DEFAULT_TIMEZONE", "Europe/"),
        ("COP_DEFAULT_TIMEZONE", "../../etc/passwd"),
        ("COP_CATCHUP_HOURS", "abc"),
        ("COP_CATCHUP_HOURS", "1.5"),
        ("COP_CATCHUP_HOURS", "-1"),
        ("COP_CATCHUP_HOURS", "100000"),
        ("COP_MESSAGE_RETENTION_DAYS", "0"),
        ("COP_MESSAGE_RETENTION_DAYS", "forever"),
        ("PORT", "70000"),
        ("PORT", "0"),
        ("PORT", "http"),
        ("LOG_LEVEL", "LOUD"),
        ("DATABASE_URL", "mysql://x"),
        ("DATABASE_URL", "copbot.db"),
        ("SLACK_API_URL", "slack.com/api"),
        ("SLACK_API_URL", "ftp://slack.com/api/"),
    ],
)
def test_malformed_setting_is_named_in_one_line(name: str, value: str) -> None:
    assert_one_line_naming(config_error({**MINIMAL, name: value}), name)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxb-your-bot-token"),
        ("SLACK_BOT_TOKEN", "xoxb-..."),
        ("SLACK_SIGNING_SECRET", "your-signing-secret"),
        ("SLACK_SIGNING_SECRET", "changeme"),
        ("SLACK_SIGNING_SECRET", "<signing secret>"),
        ("SLACK_APP_TOKEN", "xapp-your-app-token"),
    ],
)
def test_placeholder_from_env_example_is_refused(name: str, value: str) -> None:
    message = config_error({**MINIMAL, name: value})
    assert_one_line_naming(message, name)
    assert "placeholder" in message


def test_value_with_a_newline_still_gives_one_line() -> None:
    message = config_error({**MINIMAL, "COP_DEFAULT_TIMEZONE": "Mars/\nOlympus"})
    assert_one_line_naming(message, "COP_DEFAULT_TIMEZONE")


def test_oauth_needs_the_client_secret() -> None:
    env = {k: v for k, v in OAUTH.items() if k != "SLACK_CLIENT_SECRET"}
    message = config_error(env)
    assert_one_line_naming(message, "SLACK_CLIENT_SECRET")
    assert "not set" in message


def test_client_secret_without_client_id() -> None:
    env = {**MINIMAL, "SLACK_CLIENT_SECRET": "client-secret-abc"}
    assert_one_line_naming(config_error(env), "SLACK_CLIENT_ID")


# ----- .env -------------------------------------------------------------------------------------


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No copbot setting in os.environ, so only the test's .env and setenv() count."""
    for name in DOCUMENTED:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_dotenv_is_read(tmp_path: Path, clean_environ: pytest.MonkeyPatch) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# copied from .env.example\n"
        "SLACK_SIGNING_SECRET=from-dotenv-secret\n"
        "SLACK_BOT_TOKEN='xoxb-from-dotenv'\n"
        "SLACK_APP_TOKEN=\n"
        'COP_DEFAULT_TIMEZONE="America/New_York"\n'
        "PORT=4000\n"
    )
    settings = load_settings(env=None, dotenv_path=dotenv)
    assert settings.slack_signing_secret == "from-dotenv-secret"
    assert settings.slack_bot_token == "xoxb-from-dotenv"
    assert settings.slack_app_token is None  # empty in .env means not set
    assert settings.default_timezone == "America/New_York"
    assert settings.port == 4000


def test_process_environment_overrides_dotenv(
    tmp_path: Path, clean_environ: pytest.MonkeyPatch
) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "SLACK_SIGNING_SECRET=from-dotenv-secret\nSLACK_BOT_TOKEN=xoxb-from-dotenv\nPORT=4000\n"
    )
    clean_environ.setenv("SLACK_BOT_TOKEN", "xoxb-from-environ")
    clean_environ.setenv("PORT", "5000")
    settings = load_settings(env=None, dotenv_path=dotenv)
    assert settings.slack_bot_token == "xoxb-from-environ"
    assert settings.port == 5000
    assert settings.slack_signing_secret == "from-dotenv-secret"


def test_missing_dotenv_file_is_fine(tmp_path: Path, clean_environ: pytest.MonkeyPatch) -> None:
    clean_environ.setenv("SLACK_SIGNING_SECRET", "from-environ-secret")
    clean_environ.setenv("SLACK_BOT_TOKEN", "xoxb-from-environ")
    settings = load_settings(env=None, dotenv_path=tmp_path / "absent.env")
    assert settings.slack_signing_secret == "from-environ-secret"


def test_bad_value_in_dotenv_is_named(tmp_path: Path, clean_environ: pytest.MonkeyPatch) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("SLACK_SIGNING_SECRET=s3cret\nSLACK_BOT_TOKEN=xoxb-1\nLOG_LEVEL=LOUD\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(env=None, dotenv_path=dotenv)
    assert_one_line_naming(str(caught.value), "LOG_LEVEL")


def test_explicit_env_ignores_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("LOG_LEVEL=LOUD\n")
    assert load_settings(env=MINIMAL, dotenv_path=dotenv).log_level == "INFO"


# ----- .env.example documents every setting ----------------------------------------------------


class RecordingEnv(Mapping[str, str]):
    """A Mapping that remembers every name load_settings asks it for."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.data = dict(values)
        self.asked: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.asked.add(name)
        return self.data[name]

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str):
            self.asked.add(name)
        return name in self.data

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("load_settings should ask for settings by name, not iterate")

    def __len__(self) -> int:
        return len(self.data)


def settings_read_by_load_settings() -> set[str]:
    asked: set[str] = set()
    for values in (MINIMAL, OAUTH, {**MINIMAL, "SLACK_APP_TOKEN": "xapp-1-abc"}):
        env = RecordingEnv(values)
        load_settings(env=env, dotenv_path=None)
        asked |= env.asked
    sandbox = RecordingEnv({})
    load_sandbox_settings(sandbox)
    return asked | sandbox.asked


def env_example_settings() -> dict[str, int]:
    """Setting name -> line index of its `NAME=` line in .env.example."""
    lines = ENV_EXAMPLE.read_text().splitlines()
    found: dict[str, int] = {}
    for index, line in enumerate(lines):
        match = re.match(r"([A-Z][A-Z0-9_]*)=", line)
        if match:
            assert match.group(1) not in found, f"{match.group(1)} appears twice in .env.example"
            found[match.group(1)] = index
    return found


def test_load_settings_reads_every_documented_setting() -> None:
    read = settings_read_by_load_settings()
    assert set(DOCUMENTED) <= read, set(DOCUMENTED) - read


def test_env_example_lists_every_setting_load_settings_reads() -> None:
    listed = env_example_settings()
    missing = (settings_read_by_load_settings() | set(DOCUMENTED)) - set(listed)
    assert not missing, f".env.example does not list {sorted(missing)}"


def test_env_example_lists_only_settings_copbot_reads() -> None:
    unknown = set(env_example_settings()) - settings_read_by_load_settings()
    assert not unknown, f".env.example lists {sorted(unknown)}, which copbot never reads"


def test_every_setting_in_env_example_is_explained_by_a_comment() -> None:
    """Each NAME= line sits in a paragraph (no blank line between) opened by a comment."""
    lines = ENV_EXAMPLE.read_text().splitlines()
    for name, index in env_example_settings().items():
        paragraph = []
        for line in reversed(lines[:index]):
            if not line.strip():
                break
            paragraph.append(line)
        assert any(line.lstrip().startswith("#") for line in paragraph), (
            f"{name} in .env.example has no comment above it"
        )


def test_env_example_with_the_two_secrets_filled_in_loads_with_defaults(
    tmp_path: Path, clean_environ: pytest.MonkeyPatch
) -> None:
    text = ENV_EXAMPLE.read_text()
    for name, value in MINIMAL.items():
        text = re.sub(rf"(?m)^{name}=.*$", f"{name}={value}", text)
    dotenv = tmp_path / ".env"
    dotenv.write_text(text)
    settings = load_settings(env=None, dotenv_path=dotenv)
    assert settings == load()
