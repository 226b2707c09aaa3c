"""The demo workspace a new sandbox starts with: five people, #python-guild and #random.

The people and channels are put in the stand-in directly (they exist before copbot is
installed); the community and the conversations go through copbot like anything a person
does on the page: a signed /cop create, then message events.
"""

from __future__ import annotations

import time

from .driver import Sandbox
from .slack.shapes import format_ts

PEOPLE = {
    "UPRIYA": dict(name="priya", real_name="Priya Raman", is_admin=True, tz="Europe/London"),
    "UMARCO": dict(name="marco", real_name="Marco Rossi", tz="Europe/Rome"),
    "USAM": dict(name="sam", real_name="Sam Okafor", tz="Africa/Lagos"),
    "ULENA": dict(name="lena", real_name="Lena Fischer", tz="Europe/Berlin"),
    "UJORDAN": dict(name="jordan", real_name="Jordan Lee", tz="America/New_York"),
}
GUILD, RANDOM = "CPYTHONGUILD", "CRANDOM"
FACILITATOR = "UPRIYA"
CREATE = (
    "create Python Guild — writing better Python together: packaging, testing, "
    "performance and the odd gotcha"
)

# (author, text, replies): conversations worth capturing, and some that are not.
GUILD_TALK: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "UMARCO",
        "Tip: `python -X importtime -c 'import ourapp'` prints how long every import takes. "
        "It showed our CLI spent 900 ms importing pandas just for `--help`; a lazy import "
        "cut start-up from 1.2 s to 0.3 s. #performance",
        [],
    ),
    (
        "USAM",
        "How do you all pin dependencies: exact versions everywhere, or ranges? #packaging",
        [
            (
                "ULENA",
                "Apps: lock everything (pip-compile or uv lock) and commit the lock file. "
                "Libraries: lower bounds only, and test against the newest releases in CI.",
            ),
            (
                "UJORDAN",
                "+1. We also run a weekly job that upgrades the lock file, so drift never "
                "piles up into a scary upgrade.",
            ),
        ],
    ),
    (
        "ULENA",
        "TIL: `functools.cache` on a method keeps every `self` alive forever (the cache "
        "holds a reference). Use `functools.cached_property`, or cache a module-level "
        "function keyed on something small. #gotchas",
        [],
    ),
    ("UJORDAN", "Anyone going to the PyData meetup next Thursday?", [("USAM", "I'll be there!")]),
    (
        "UPRIYA",
        "Reminder of our review habits: small PRs, one reviewer, answer within a day, and "
        "`pytest -x --lf` before pushing. #process",
        [],
    ),
]
RANDOM_TALK = [
    ("UJORDAN", "The coffee machine on the 3rd floor works again ☕"),
    ("USAM", "Lunch at the Thai place at 12:30, who's in?"),
]


def seed_people(sandbox: Sandbox) -> None:
    """People and channels, as they are before copbot arrives (it is invited to the guild)."""
    ws = sandbox.standin
    for user_id, attrs in PEOPLE.items():
        ws.add_user(user_id, **attrs)  # type: ignore[arg-type]
    everyone = list(PEOPLE)
    ws.add_channel(GUILD, "python-guild", members=[*everyone, ws.bot_user_id])
    ws.add_channel(RANDOM, "random", members=everyone)


def seed_talk(sandbox: Sandbox) -> None:
    """Earlier today's conversations, then Priya makes #python-guild a community."""
    ws = sandbox.standin
    started = int((time.time() - 3 * 3600) * 1_000_000)
    for step, (author, text) in enumerate(RANDOM_TALK):
        ws.add_message(RANDOM, author, text, ts=format_ts(started + step * 60_000_000))
    sandbox.command(FACILITATOR, GUILD, f"/cop {CREATE}")
    try:  # the announcement first, then the conversations under it
        ws.wait_for(lambda: ws.messages(GUILD), timeout=30)
    except AssertionError:
        raise RuntimeError("copbot did not announce the demo community") from None
    for author, text, replies in GUILD_TALK:
        root = sandbox.post(author, GUILD, text)
        for reply_author, reply in replies:
            sandbox.post(reply_author, GUILD, reply, thread_ts=root)
