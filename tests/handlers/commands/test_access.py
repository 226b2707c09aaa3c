"""One declaration of who may run a subcommand: help groups by it, the router enforces it."""

from __future__ import annotations

import pytest

from bot.mrkdwn import escape
from handlers.commands.registry import EVERYONE, FACILITATORS, MEMBERS, Subcommand
from handlers.commands.router import SUBCOMMANDS, help_message
from tests.harness import Copbot, flatten_text

BY_AUDIENCE = {
    audience: [s for s in SUBCOMMANDS if s.audience == audience]
    for audience in (EVERYONE, MEMBERS, FACILITATORS)
}


def _ids(subcommand: Subcommand) -> str:
    return subcommand.name


def test_help_lists_each_subcommand_under_its_audience() -> None:
    text = flatten_text(help_message().blocks)
    for audience, subcommands in BY_AUDIENCE.items():
        section = text.split(f"*{audience}*\n", 1)[1].split("\n*", 1)[0]
        for subcommand in subcommands:
            assert f"/cop {escape(subcommand.usage)}" in section, (audience, subcommand.name)


@pytest.mark.parametrize("subcommand", BY_AUDIENCE[FACILITATORS], ids=_ids)
def test_facilitators_subcommands_refuse_everyone_else(
    copbot: Copbot, subcommand: Subcommand
) -> None:
    copbot.cop("/cop create Python Guild")
    refused = copbot.cop(f"/cop {subcommand.name}", user="UBOB")
    assert f"Only facilitators of *Python Guild* can {subcommand.action}" in refused
    assert copbot.errors == []


@pytest.mark.parametrize("subcommand", BY_AUDIENCE[MEMBERS], ids=_ids)
def test_members_subcommands_need_a_community_and_a_member(
    copbot: Copbot, subcommand: Subcommand
) -> None:
    elsewhere = copbot.cop(f"/cop {subcommand.name} @bob a tip", channel="CRANDOM")
    assert "isn't a community yet" in elsewhere
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop leave", user="UBOB")
    left = copbot.cop(f"/cop {subcommand.name} @alice thanks for the tip", user="UBOB")
    assert "You left *Python Guild*" in left and "/cop join" in left


def test_a_facilitators_subcommand_must_say_what_it_lets_them_do() -> None:
    with pytest.raises(ValueError, match="only facilitators may do"):
        Subcommand("purge", "purge", "delete everything", FACILITATORS, lambda inv: None)
    with pytest.raises(ValueError, match="audience"):
        Subcommand("purge", "purge", "delete everything", "Admins", lambda inv: None)
