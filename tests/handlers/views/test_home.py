"""The App Home buttons: Confirm, Share and Search."""

from __future__ import annotations

from sandbox.slack import block_actions_payload, state_value, view_submission_payload
from tests.harness import Copbot, buttons, flatten_text


def _open_home(copbot: Copbot, user: str = "UALICE") -> str:
    copbot.event({"type": "app_home_opened", "user": user, "channel": "DALICE", "tab": "home"})
    return flatten_text(copbot.standin.home_views[user])


def test_confirming_from_home_publishes_it_again(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    copbot.cop("/cop share Use pathlib", user="UBOB")
    _open_home(copbot)
    home = copbot.standin.home_views["UALICE"]
    [button] = buttons(home, "confirm_snippet")
    copbot.interactive(
        block_actions_payload(
            user_id="UALICE", action_id=button["action_id"], value=button["value"], view=home
        )
    )
    again = flatten_text(copbot.standin.home_views["UALICE"])
    assert "Waiting for your confirmation" not in again
    assert "Confirmed “Use pathlib”: it is now community knowledge." in again, "it says so"
    assert "Use pathlib" in copbot.cop("/cop search pathlib")
    _open_home(copbot)  # opened afresh, the note has done its work
    assert "Confirmed" not in flatten_text(copbot.standin.home_views["UALICE"])


def test_home_buttons_open_share_and_search(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop share Use pytest fixtures")
    _open_home(copbot)
    home = copbot.standin.home_views["UALICE"]
    for action_id in ("home_share", "home_search"):
        copbot.interactive(block_actions_payload(user_id="UALICE", action_id=action_id, view=home))
    opened = [c.args["view"]["callback_id"] for c in copbot.standin.calls_to("views.open")]
    assert opened == ["share_knowledge", "home_search_submit"]
    answer = copbot.interactive(
        view_submission_payload(
            user_id="UALICE",
            callback_id="home_search_submit",
            values={"query": {"query_input": state_value("fixtures")}},
        )
    )
    assert answer.json()["response_action"] == "update"
    assert "Use pytest fixtures" in flatten_text(answer.json()["view"]["blocks"])
    empty = copbot.interactive(
        view_submission_payload(
            user_id="UALICE",
            callback_id="home_search_submit",
            values={"query": {"query_input": state_value("  ?  ")}},
        )
    )
    assert empty.json()["response_action"] == "errors"


def test_the_home_share_button_starts_on_the_community_i_last_took_part_in(
    copbot: Copbot,
) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop create Data Guild", channel="CRANDOM")  # first by name, and joined last
    ts = copbot.say("Profile before you optimise", user="UBOB")
    copbot.react(ts, user="UALICE")  # Alice keeps Bob's tip in #python
    _open_home(copbot)
    home = copbot.standin.home_views["UALICE"]
    copbot.interactive(block_actions_payload(user_id="UALICE", action_id="home_share", view=home))
    view = copbot.standin.calls_to("views.open")[-1].args["view"]
    select = next(b for b in view["blocks"] if b.get("block_id") == "community")["element"]
    assert select["initial_option"]["text"]["text"] == "Python Guild"
    assert [o["text"]["text"] for o in select["options"]] == ["Data Guild", "Python Guild"]
