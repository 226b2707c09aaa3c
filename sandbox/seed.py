"""The demo workspace a new sandbox starts with: five people, #python-guild and #random.

The people and channels are put in the stand-in directly (they exist before copbot is
installed); the community, the conversations and what people did with them go through
copbot like anything a person does on the page: a signed /cop create, message events, 💡
reactions, a prompt posted and answered, kudos. So the first /cop search, App Home and the
first digest have something to show.
"""

from __future__ import annotations

import time
from typing import Any

from storage import communities, db, questions, schedule
from storage.models.questions import QUESTION_ANSWERED

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
    ("UJORDAN", "PyData meetup next Thursday, I'll be there :tada:", [("USAM", "Me too!")]),
    (
        "UMARCO",
        "Has anyone run our test suite with pytest-xdist? It hangs on the database fixtures "
        "for me. #testing",
        [],
    ),
    (
        "UPRIYA",
        "Reminder of our review habits: small PRs, one reviewer, answer within a day, and "
        "`pytest -x --lf` before pushing. #process",
        [],
    ),
]
THANKS = "Thanks @lena, that worked: our monorepo builds the same everywhere now."
PROMPT_ANSWERS = [
    (
        "ULENA",
        "That reading good code teaches more than tutorials: the standard library is a "
        "great place to start.",
    ),
    (
        "UMARCO",
        "`python -m pdb -c continue script.py` stops in the debugger right where it crashes. "
        "I printed my way through bugs for years.",
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


def seed_activity(sandbox: Sandbox) -> None:
    """What the guild did with its talk: two tips saved with 💡 (one endorsed twice), Sam's
    question answered (Marco's stays open), this week's prompt posted and answered, kudos by
    command and by reaction."""
    ws = sandbox.standin
    tip, lock_file = _ts_of(sandbox, "importtime"), _ts_of(sandbox, "lock everything")
    sandbox.react("USAM", GUILD, tip, "bulb")
    _wait(sandbox, lambda: _told(sandbox, "USAM", "knowledge"), "save the tip")
    sandbox.react("ULENA", GUILD, tip, "bulb")
    sandbox.react("UMARCO", GUILD, lock_file, "bulb")
    _wait(sandbox, lambda: _told(sandbox, "UMARCO", "knowledge"), "save the lock-file advice")
    pinning = _ts_of(sandbox, "pin dependencies")  # Sam's question, answered by Lena
    sandbox.post("USAM", GUILD, THANKS, thread_ts=pinning)
    _wait(sandbox, lambda: _answered(ws.team_id, pinning), "see Sam's question answered")

    before = {m["ts"] for m in ws.messages(GUILD)}
    sandbox.command(FACILITATOR, GUILD, "/cop prompt now")
    prompt = _wait(
        sandbox,
        lambda: next(
            (m["ts"] for m in ws.roots(GUILD) if m["ts"] not in before and m.get("bot_id")), None
        ),
        "post the prompt",
    )
    _wait(sandbox, lambda: _prompt_recorded(ws.team_id, prompt), "record the prompt")
    for author, answer in PROMPT_ANSWERS:
        sandbox.post(author, GUILD, answer, thread_ts=prompt)

    sandbox.command("USAM", GUILD, "/cop kudos @lena for the lock-file advice")
    _wait(sandbox, lambda: _said(sandbox, "gave kudos"), "give kudos")
    sandbox.react("UJORDAN", GUILD, tip, "raised_hands")
    _wait(sandbox, lambda: _told(sandbox, "UJORDAN", "thanked"), "thank Marco")
    with ws.lock:  # what copbot said privately at seed time is gone, as on reopening Slack
        ws.ephemerals.clear()


def _ts_of(sandbox: Sandbox, needle: str) -> str:
    return str(next(m["ts"] for m in sandbox.standin.messages(GUILD) if needle in m["text"]))


def _told(sandbox: Sandbox, user: str, needle: str) -> bool:
    return any(needle in e["text"] for e in sandbox.standin.ephemerals_for(user, GUILD))


def _said(sandbox: Sandbox, needle: str) -> bool:
    return any(needle in m["text"] for m in sandbox.standin.messages(GUILD))


def _prompt_recorded(team_id: str, ts: str) -> bool:
    with db.session() as session:
        guild = communities.community_for_channel(
            session=session, team_id=team_id, channel_id=GUILD
        )
        if guild is None or guild.id is None:
            return False
        posted = schedule.last_post(session=session, community_id=guild.id, kind="prompt")
        return posted is not None and posted.message_ts == ts


def _answered(team_id: str, ts: str) -> bool:
    with db.session() as session:
        asked = questions.question_at(
            session=session, team_id=team_id, channel_id=GUILD, message_ts=ts
        )
        return asked is not None and asked.status == QUESTION_ANSWERED


def _wait(sandbox: Sandbox, predicate: Any, what: str) -> Any:
    try:
        return sandbox.standin.wait_for(predicate, timeout=30)
    except AssertionError:
        raise RuntimeError(f"copbot did not {what} in the demo workspace") from None
