"""copbot: communities of practice inside Slack."""

__version__ = "0.1.0"
