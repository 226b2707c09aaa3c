"""Slack's rate limits as token buckets: what SlackStandIn.limit_rate() switches on.

Slack documents chat.postMessage as "about one message per second per channel", with short
bursts allowed, under a workspace-wide budget of a few hundred messages a minute; a call over
either is answered HTTP 429 with a Retry-After header in whole seconds. Here each limit is a
token bucket: it holds at most `capacity` tokens, gains `rate` tokens a second, and a call
spends one token from every bucket it falls under. A call that finds a bucket short of a token
spends nothing and is told how long to wait, rounded up to whole seconds (at least 1).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]


@dataclass
class Bucket:
    """Up to `capacity` tokens, refilled at `rate` a second; starts full."""

    rate: float
    capacity: float
    tokens: float
    at: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now

    def wait(self) -> float:
        """Seconds until one token is there (0 when one is, give or take float rounding)."""
        missing = 1.0 - self.tokens
        return missing / self.rate if missing > 1e-9 else 0.0


@dataclass
class RateLimit:
    """One method's limits: per channel (by the `channel` argument as sent) and workspace-wide."""

    per_channel_per_second: float | None
    workspace_per_second: float | None
    burst: float
    channel_burst: float
    clock: Clock
    channels: dict[str, Bucket] = field(default_factory=dict)
    workspace: Bucket | None = None
    # calls answered 429, by the limit that was short ("channel", "workspace" or both)
    rejected: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        if self.workspace_per_second is not None:
            now = self.clock()
            self.workspace = Bucket(self.workspace_per_second, self.burst, self.burst, now)

    def admit(self, channel: str | None) -> int | None:
        """Spend a token and return None, or return the Retry-After (whole seconds) to answer."""
        now = self.clock()
        buckets = {"workspace": self.workspace} if self.workspace is not None else {}
        if self.per_channel_per_second is not None and channel:
            bucket = self.channels.get(channel)
            if bucket is None:
                rate, capacity = self.per_channel_per_second, self.channel_burst
                bucket = self.channels[channel] = Bucket(rate, capacity, capacity, now)
            buckets["channel"] = bucket
        for bucket in buckets.values():
            bucket.refill(now)
        short = {name: b.wait() for name, b in buckets.items() if b.wait() > 0}
        if short:
            self.rejected["+".join(sorted(short))] += 1
            return retry_after(max(short.values()))
        for bucket in buckets.values():
            bucket.tokens -= 1.0
        return None


def retry_after(seconds: float) -> int:
    """Slack's Retry-After: whole seconds, rounded up, never less than 1."""
    return max(1, math.ceil(seconds))
