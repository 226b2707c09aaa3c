"""Block Kit builders: plain data in, message payloads out. No Slack or database access."""

from bot.blocks.kit import Message

__all__ = ["Message"]
