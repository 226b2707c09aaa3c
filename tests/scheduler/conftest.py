"""Three channels copbot and two people are in, for communities the scheduler posts to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.slack import SlackStandIn


@pytest.fixture
def slack(standin: SlackStandIn) -> Iterator[SlackStandIn]:
    for i in range(3):
        standin.add_channel(f"CG{i}", f"guild-{i}", members=["UALICE", "UBOB", "UCOPBOT"])
    yield standin
