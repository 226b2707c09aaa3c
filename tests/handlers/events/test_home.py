"""The App Home tab and its buttons."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from storage import users
from storage.clock import utcnow
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
    assert "*Python Guild* in <#CPYTHON>\nLast 7 days: " in home
    # each reader sees the next posts in their own timezone: Slack's date token, with the
    # community's time and zone for clients that cannot show it
    prompt = re.search(
        r"Next prompt <!date\^(\d+)\^\{date_short_pretty\} at \{time\}\|(.+?)>", home
    )
    assert prompt and prompt.group(2).startswith("Mon ") and prompt.group(2).endswith(" UTC")
    assert datetime.fromtimestamp(int(prompt.group(1)), UTC).strftime("%a %H:%M") == "Mon 10:00"
    assert "Pin your tools" in home and "Kudos this month: 1" in home and "from Bob Builder" in home
    assert "Waiting for your confirmation (1)" in home and "Use pathlib" in home  # Bob's share


def test_home_is_each_communitys_week_at_a_glance(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    tips = [copbot.say(f"Tip {i}: use the standard library", user="UBOB") for i in range(4)]
    for i, ts in enumerate(tips):
        for user in ("UALICE", "UCAROL", "UADMIN")[: i + 1]:
            copbot.react(ts, user=user)
    copbot.cop("/cop kudos @bob for the tips")
    home = _open_home(copbot)
    # four snippets confirmed, one kudos; Alice, Bob (he wrote), Carol and Ada took part
    assert "Last 7 days: 4 new snippets (↑4) · 1 kudos (↑1) · 4 active people (↑4)" in home
    best = home.split("Most endorsed: ")[1].split("\n")[0]
    assert [label.split(">")[0].split("|")[1] for label in best.split(" · ")] == [
        "Tip 3: use the standard library",
        "Tip 2: use the standard library",
        "Tip 1: use the standard library",
    ]
    assert best.count("(endorsed by 3)") == 2 and best.endswith("(endorsed by 2)")


def test_home_lists_what_you_saved_from_others_beside_what_you_wrote(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    tip = copbot.say("Use <pathlib> for paths", user="UBOB")
    copbot.react(tip, user="UCAROL")  # Carol saves Bob's tip
    copbot.cop("/cop share Pin your tools", user="UCAROL")
    carol = _open_home(copbot, "UCAROL").split("*Your recent knowledge*\n")[1]
    assert carol.index("Pin your tools") < carol.index("Use &lt;pathlib&gt; for paths")
    assert "Use &lt;pathlib&gt; for paths" in carol.split("saved by you")[0]
    assert carol.count("saved by you") == 1, "what she wrote herself is just hers"
    bob = _open_home(copbot, "UBOB").split("*Your recent knowledge*\n")[1]
    assert "pathlib" in bob and "saved by you" not in bob, "Bob wrote it"


def test_home_shows_private_knowledge_only_to_its_channels_members(copbot: Copbot) -> None:
    """A community with a public and a private channel (a C… id, as Slack gives every
    channel): its members outside the private one never see what was kept there."""
    copbot.standin.add_channel(
        "CVAULT", name="vault", is_private=True, members=["UALICE", "UCAROL", "UCOPBOT"]
    )
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop channel add #vault")
    ts = copbot.say("The launch date is moving", user="UCAROL", channel="CVAULT")
    copbot.react(ts, user="UALICE", channel="CVAULT")
    assert "The launch date is moving" in _open_home(copbot, "UALICE")
    bob = _open_home(copbot, "UBOB")
    assert "*Python Guild*" in bob and "The launch date is moving" not in bob


def test_home_for_someone_in_no_community(copbot: Copbot) -> None:
    assert "aren't in any community yet" in _open_home(copbot, "UCAROL")


def _add_guilds(copbot: Copbot, first: int, last: int) -> None:
    """Guilds `first`..`last - 1`, each in its own channel, created by Alice, with Bob's tip
    waiting for her confirmation."""
    for i in range(first, last):
        channel = f"CGUILD{i:02d}"
        copbot.standin.add_channel(
            channel, name=f"guild-{i:02d}", members=["UALICE", "UBOB", "UCOPBOT"]
        )
        copbot.cop(f"/cop create Guild {i:02d}", channel=channel)
        copbot.cop("/cop settings confirmation on", channel=channel)
        copbot.cop(f"/cop share Tip number {i} for the guild", user="UBOB", channel=channel)


def _statements_for_home(copbot: Copbot, engine: Engine, user: str) -> int:
    _open_home(copbot, user)  # the first opening may fill the profile cache
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        _open_home(copbot, user)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_home_takes_as_many_statements_for_12_communities_as_for_2(
    copbot: Copbot, engine: Engine
) -> None:
    _add_guilds(copbot, 0, 2)
    copbot.cop("/cop kudos @bob for the tips", channel="CGUILD00")
    facilitator, member = (_statements_for_home(copbot, engine, u) for u in ("UALICE", "UBOB"))
    _add_guilds(copbot, 2, 12)
    home = _open_home(copbot)
    assert "Your communities (12)" in home and "Waiting for your confirmation (12)" in home
    assert "Your communities (12)" in _open_home(copbot, "UBOB")
    assert _statements_for_home(copbot, engine, "UALICE") == facilitator
    assert _statements_for_home(copbot, engine, "UBOB") == member


def test_home_says_copbot_is_muted_and_a_stale_admin_profile_is_looked_up_again(
    copbot: Copbot, engine: Engine
) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop join", user="UADMIN")
    copbot.cop("/cop settings confirmation on")
    copbot.cop("/cop share Use pathlib", user="UBOB")
    copbot.cop("/cop mute", user="UADMIN")
    home = _open_home(copbot, "UADMIN")
    assert "copbot is muted for you" in home and "Waiting for your confirmation (1)" in home
    with engine.begin() as connection:  # Ada's cached profile has aged past its TTL
        connection.execute(
            text("UPDATE user_profile SET fetched_at = :old WHERE user_id = 'UADMIN'"),
            {"old": utcnow() - 2 * users.PROFILE_TTL},
        )
    asked = len(copbot.standin.calls_to("users.info"))
    home = _open_home(copbot, "UADMIN")
    assert len(copbot.standin.calls_to("users.info")) == asked + 1
    assert "copbot is muted for you" in home and "Waiting for your confirmation (1)" in home
    copbot.cop("/cop unmute", user="UADMIN")
    assert "copbot is muted" not in _open_home(copbot, "UADMIN")
