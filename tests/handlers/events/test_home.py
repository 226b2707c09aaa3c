"""The App Home tab and its buttons."""

from __future__ import annotations

from tests.harness import Copbot, flatten_text


def _open_home(copbot: Copbot, user: str = "UALICE") -> str:
    copbot.event({"type": "app_home_opened", "user": user, "channel": "DALICE", "tab": "home"})
    return flatten_text(copbot.standin.home_views[user])


def test_home_shows_communities_contributions_kudos_and_pending(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    copbot.cop("/cop share Use pathlib", user="UBOB")
    copbot.cop("/cop kudos @alice for the guild", user="UBOB")
    copbot.cop("/cop share Pin your tools")
    home = _open_home(copbot)
    assert "*Python Guild* in <#CPYTHON>: next prompt Mon" in home
    assert "Pin your tools" in home and "Kudos this month: 1" in home and "from Bob Builder" in home
    assert "Waiting for your confirmation (1)" in home and "Use pathlib" in home  # Bob's share


def test_home_for_someone_in_no_community(copbot: Copbot) -> None:
    assert "aren't in any community yet" in _open_home(copbot, "UCAROL")
