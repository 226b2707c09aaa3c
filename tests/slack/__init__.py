"""The Slack stand-in and signer the tests drive copbot with (they live in bot/sandbox/slack)."""

from bot.sandbox.slack import *  # noqa: F403
from bot.sandbox.slack import __all__  # noqa: F401
