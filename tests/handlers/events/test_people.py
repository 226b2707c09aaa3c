"""People as Slack shows them: display name, else real name; user_change keeps it current."""

from __future__ import annotations

from tests.harness import Copbot


def test_a_name_changed_in_slack_is_shown_at_once(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop share Pin your tools #packaging", user="UBOB")
    assert "by Bob Builder" in copbot.cop("/cop search pin")
    renamed = copbot.standin.add_user("UBOB", "bob", real_name="Bob Builder", display_name="Bobby")
    copbot.event({"type": "user_change", "user": renamed, "event_ts": "1.2"})
    assert "by Bobby" in copbot.cop("/cop search pin")
