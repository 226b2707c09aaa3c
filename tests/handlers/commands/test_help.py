"""/cop help, empty /cop and unknown subcommands."""

from __future__ import annotations

from tests.harness import Copbot


def test_help_lists_subcommands_grouped_by_role(copbot: Copbot) -> None:
    reply = copbot.cop("/cop help")
    assert reply.status == 200
    for usage in ("/cop create <name> [— domain]", "/cop info", "/cop join", "/cop leave"):
        assert usage in reply
    assert "*Everyone*" in reply
    response = reply.responses[0]
    assert response["response_type"] == "ephemeral"
    assert response["text"]  # a plain fallback for notifications and screen readers


def test_empty_command_shows_help(copbot: Copbot) -> None:
    assert "/cop info" in copbot.cop("")


def test_unknown_subcommand_suggests_the_closest(copbot: Copbot) -> None:
    reply = copbot.cop("/cop crate Python Guild")
    assert "I don't know `/cop crate`" in reply
    assert "Did you mean `/cop create`?" in reply
    assert "/cop info" in reply


def test_unknown_subcommand_without_a_close_match_still_gets_help(copbot: Copbot) -> None:
    reply = copbot.cop("/cop xyzzy")
    assert "I don't know `/cop xyzzy`" in reply
    assert "Did you mean" not in reply


def test_strange_input_is_answered_not_crashed(copbot: Copbot) -> None:
    weird = "<!channel> <@UBOB> `rm -rf` ' OR 1=1 -- " + "x" * 5000
    reply = copbot.cop(weird)
    assert "I don't know" in reply
    assert "<!channel>" not in reply.text  # escaped, never a real ping
    assert copbot.errors == []
