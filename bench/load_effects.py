"""Did every request take effect, once? Read from copbot's database and the stand-in's log.

- a message event: one `channel_message` row with its channel and ts;
- a knowledge reaction: one endorsement by that person with that emoji on the snippet of
  that message;
- a kudos reaction: one kudos row (by reaction) from that person on that message;
- a command: exactly one post to its response_url;
- an App Home open: one views.publish for that person (counted per person).

A request answered 200 (acked, in Socket Mode) with no effect is *lost*; one with more than
one is *doubled*. A request that was not answered 200 may still have been done (the door
recorded it, the answer was late): that is counted apart, as *done anyway*. A lost command
whose person typed the same command in the same channel again later (copbot: 3 s or more
later) and got the answer to that one is not lost but *answered once for two asks*: copbot
settles a command that waited so long that its person asked again, and answers the later ask
only (bot/worker.py), so a kudos or a share typed twice is not given twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.load_traffic import COMMANDS, KINDS, Meta
from bench.load_world import TEAM


@dataclass
class Tally:
    """One kind's requests: answered 200, lost, doubled, and not 200 but done anyway."""

    ok: int = 0
    failed: int = 0
    lost: int = 0
    doubled: int = 0
    done_anyway: int = 0
    asked_again: int = 0  # commands answered once for two asks: the later one got the answer


@dataclass
class Effects:
    by_kind: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    inbox: Counter[str] = field(default_factory=Counter)
    will_finish: int = 0  # commands told "copbot will finish it" before their answer

    @property
    def lost(self) -> int:
        return sum(t.lost for t in self.by_kind.values())

    @property
    def asked_again(self) -> int:
        return sum(t.asked_again for t in self.by_kind.values())

    @property
    def doubled(self) -> int:
        return sum(t.doubled for t in self.by_kind.values())


def _counts(engine: Engine, sql: str) -> Counter[tuple[str, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(text(sql), {"team": TEAM}).all()
    return Counter({tuple(str(v) for v in row[:-1]): int(row[-1]) for row in rows})


def check(engine: Engine, sent: Iterable[tuple[Meta, int]], standin: dict[str, Any]) -> Effects:
    """Tally `sent` (each request's Meta and status) against what landed."""
    messages = _counts(
        engine,
        "SELECT channel_id, ts, count(*) FROM channel_message WHERE team_id = :team "
        "GROUP BY channel_id, ts",
    )
    endorsements = _counts(
        engine,
        "SELECT s.channel_id, s.message_ts, e.user_id, count(*) FROM endorsement e "
        "JOIN snippet s ON s.id = e.snippet_id WHERE e.team_id = :team AND e.emoji = 'bulb' "
        "GROUP BY s.channel_id, s.message_ts, e.user_id",
    )
    kudos = _counts(
        engine,
        "SELECT channel_id, message_ts, giver_id, count(*) FROM kudos WHERE team_id = :team "
        "AND source = 'reaction' GROUP BY channel_id, message_ts, giver_id",
    )
    with engine.connect() as conn:
        inbox = Counter(
            {
                str(s): int(n)
                for s, n in conn.execute(text("SELECT status, count(*) FROM inbox GROUP BY status"))
            }
        )
    responses: Counter[str] = standin["responses"]
    effects = Effects(inbox=inbox, will_finish=int(standin.get("will_finish", 0)))
    homes: dict[str, list[int]] = {}  # person -> [opens answered 200, not]
    sent = list(sent)
    last_answered = {  # the last ask of each command whose person got the answer
        _asked(meta): i
        for i, (meta, _) in enumerate(sent)
        if meta.kind in COMMANDS and responses[meta.response_url]
    }
    for i, (meta, status) in enumerate(sent):
        tally = effects.by_kind[meta.kind]
        ok = status == 200
        tally.ok += int(ok)
        tally.failed += int(not ok)
        if meta.kind == "home":
            homes.setdefault(meta.user, [0, 0])[0 if ok else 1] += 1
            continue
        if meta.kind == "message":
            found = messages[(meta.channel, meta.ts)]
        elif meta.kind == "knowledge":
            found = endorsements[(meta.channel, meta.ts, meta.user)]
        elif meta.kind == "kudos":
            found = kudos[(meta.channel, meta.ts, meta.user)]
        else:
            assert meta.kind in COMMANDS
            found = responses[meta.response_url]
            if ok and not found and last_answered.get(_asked(meta), -1) > i:
                tally.asked_again += 1
                continue
        _tally(tally, ok, found)
    publishes: Counter[str] = standin["publishes"]
    home = effects.by_kind["home"]
    for user, (answered, unanswered) in homes.items():
        got = publishes[user]
        home.lost += max(0, answered - got)
        home.done_anyway += min(unanswered, max(0, got - answered))
        home.doubled += max(0, got - answered - unanswered)
    return effects


def _asked(meta: Meta) -> tuple[str, str, str, str]:
    return (meta.user, meta.channel, meta.kind, meta.text)


def _tally(tally: Tally, ok: bool, found: int) -> None:
    if ok and found == 0:
        tally.lost += 1
    if found > 1:
        tally.doubled += 1
    if not ok and found:
        tally.done_anyway += 1
