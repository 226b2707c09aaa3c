"""/cop help, empty /cop and unknown subcommands."""

from __future__ import annotations

from sandbox.slack import block_actions_payload
from tests.harness import Copbot, flatten_text


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


def test_a_mistyped_subcommand_gets_one_line_and_a_help_button(copbot: Copbot) -> None:
    reply = copbot.cop("/cop serch python")
    assert reply.responses[0]["text"] == "I don't know `/cop serch`. Did you mean `/cop search`?"
    assert len(reply.responses[0]["blocks"]) == 2  # the line and the button, no more
    [button] = [
        e for b in reply.responses[0]["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    payload = block_actions_payload(
        user_id="UALICE",
        action_id=button["action_id"],
        value=button["value"],
        response_url=copbot.standin.new_response_url("CPYTHON"),
        channel_id="CPYTHON",
    )
    copbot.interactive(payload)
    shown = copbot.standin.responses[-1]["body"]
    assert shown["replace_original"] is True and shown["response_type"] == "ephemeral"
    assert "/cop info" in flatten_text(shown) and "/cop create <name>" in flatten_text(shown)
    assert copbot.errors == []


def test_an_unknown_subcommand_gets_related_commands_not_the_whole_help(copbot: Copbot) -> None:
    reply = copbot.cop("/cop knowledge")
    assert "I don't know `/cop knowledge`. Related commands: `/cop " in reply
    assert reply.responses[0]["text"].count("`/cop ") == 5  # typed, three related, help
    assert "`/cop share`" in reply and "`/cop help` lists them all." in reply
    assert "Did you mean" not in reply and "*Everyone*" not in reply


def test_nothing_alike_gets_no_made_up_suggestions(copbot: Copbot) -> None:
    for typed in ("xyzzy", "canvas"):
        reply = copbot.cop(f"/cop {typed}")
        assert f"I don't know `/cop {typed}`. `/cop help` lists what copbot can do." in reply
        assert reply.responses[0]["text"].count("`/cop ") == 2  # what was typed, and help


def test_strange_input_is_answered_not_crashed(copbot: Copbot) -> None:
    weird = "<!channel> <@UBOB> `rm -rf` ' OR 1=1 -- " + "x" * 5000
    reply = copbot.cop(weird)
    assert "I don't know" in reply
    assert "<!channel>" not in reply.text  # escaped, never a real ping
    assert copbot.errors == []
