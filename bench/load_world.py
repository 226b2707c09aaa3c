"""The workspace of the load benchmark: people, community channels, cached messages, knowledge.

One `World`, made deterministically from a seed, is put in the Slack stand-in (its own
process, bench/standin_process.py) and in copbot's database (through storage's functions, as
bench/home.py does), so both agree on who is where and which messages exist.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from bot.text import hashtags, title_from
from sandbox.slack import SlackStandIn
from scheduler.kinds import default_slots
from storage import communities, db, migrate
from storage.messages import ts_to_datetime
from storage.models import ChannelMessage, Snippet, SnippetTag
from storage.models.knowledge import SOURCE_COMMAND, STATUS_CONFIRMED
from storage.search import index_snippet

TEAM = "T0001"  # the stand-in's workspace (SlackStandIn's defaults)
APP_ID = "A0001"
BOT_USER = "UCOPBOT"
SIGNING_SECRET = "bench-load-signing-secret"

TOOLS = (
    "pytest mypy ruff docker kubernetes terraform postgres sqlite redis kafka react typescript "
    "grafana prometheus ansible git celery django flask fastapi pandas airflow nginx helm"
).split()
TOPICS = (
    "fixtures decorators migrations dashboards pipelines containers indexes queries "
    "transactions deployments releases branches mocks logs metrics alerts secrets caches"
).split()
VERBS = "refactor debug profile deploy cache mock benchmark document review pin lint".split()
ADJECTIVES = "flaky slow async nested stale idempotent brittle noisy legacy lazy".split()
SEARCH_WORDS = TOOLS + TOPICS + VERBS + ["quokka", "zeppelin"]  # two that nothing contains
FIRST = "Ann Bob Cy Dana Eli Fay Gus Hana Ivo Jo Kai Lea Max Nia Oto Pia Raf Sue Tom Uma".split()


def sentence(rng: random.Random) -> str:
    """A line people post in a community channel."""
    tool, topic, verb, adj = (
        rng.choice(TOOLS),
        rng.choice(TOPICS),
        rng.choice(VERBS),
        rng.choice(ADJECTIVES),
    )
    forms = (
        f"How do you {verb} {adj} {topic} in {tool}?",
        f"TIL {tool} can {verb} {topic} for you",
        f"Our {topic} were {adj} until we started to {verb} them with {tool}",
        f"Tip: {verb} your {topic} before shipping, {tool} makes it easy #{tool}",
    )
    return rng.choice(forms)


def knowledge_text(rng: random.Random) -> str:
    """A snippet: a title line, a few sentences, maybe a #tag."""
    lines = [sentence(rng) for _ in range(rng.randint(1, 4))]
    body = " ".join(line if line.endswith("?") else line + "." for line in lines)
    return f"{sentence(rng)}\n{body}"


@dataclass(frozen=True)
class Message:
    """A message in a community channel: in the stand-in and in copbot's message cache."""

    channel: str
    ts: str
    user: str
    text: str


@dataclass
class World:
    """Who is where. Community i lives in channels[i]; every member is in its channel."""

    users: list[str]
    names: dict[str, str]
    channels: list[str]
    members: dict[str, list[str]]  # channel -> members (people, not the bot)
    messages: dict[str, list[Message]]  # channel -> messages reactions go to
    snippets: list[Message] = field(default_factory=list)  # confirmed knowledge

    def channels_of(self, user: str) -> list[str]:
        return [c for c in self.channels if user in self.members[c]]


def make_world(
    seed: int,
    *,
    communities: int = 20,
    people: int = 150,
    messages_per_channel: int = 150,
    snippets_per_community: int = 20,
) -> World:
    """`people` people, person p in 1 + p % communities communities (so some are in all of
    them: App Home's worst case), each channel with its cached messages and its knowledge."""
    rng = random.Random(seed)
    users = [f"ULOAD{i:03d}" for i in range(people)]
    names = {u: f"{FIRST[i % len(FIRST)].lower()}{i:03d}" for i, u in enumerate(users)}
    channels = [f"CLOAD{i:02d}" for i in range(communities)]
    members: dict[str, list[str]] = {c: [] for c in channels}
    for i, user in enumerate(users):
        for j in range(1 + i % communities):
            members[channels[(i + j) % communities]].append(user)
    base = int(time.time()) - 3 * 86400  # posted in the last days: within the cache's retention
    messages: dict[str, list[Message]] = {}
    snippets: list[Message] = []
    for c, channel in enumerate(channels):
        people_here = members[channel]
        messages[channel] = [
            Message(channel, f"{base + c * 1000 + n}.{c:02d}{n:04d}", rng.choice(people_here), t)
            for n in range(messages_per_channel)
            for t in [knowledge_text(rng)]
        ]
        snippets.extend(
            Message(
                channel, f"{base - 86400 + c * 1000 + n}.{c:02d}{n:04d}", rng.choice(people_here), t
            )
            for n in range(snippets_per_community)
            for t in [knowledge_text(rng)]
        )
    return World(users, names, channels, members, messages, snippets)


# ----- the stand-in ------------------------------------------------------------------------
def seed_standin(standin: SlackStandIn, world: World) -> None:
    """The people, the community channels (copbot a member of each) and their messages."""
    for user in world.users:
        name = world.names[user]
        standin.add_user(user, name, real_name=f"{name.title()} Person", tz="UTC")
        standin.add_im(f"D{user[1:]}", user)
    for i, channel in enumerate(world.channels):
        members = [*world.members[channel], standin.bot_user_id]
        standin.add_channel(channel, f"load-{i:02d}", members=members)
        for message in [
            *world.messages[channel],
            *(s for s in world.snippets if s.channel == channel),
        ]:
            standin.add_message(channel, message.user, standin.typed(message.text), ts=message.ts)


# ----- copbot's database -------------------------------------------------------------------
@contextmanager
def database(server_url: str | None, directory: Path, name: str) -> Iterator[str]:
    """A fresh migrated database, its URL: a SQLite file in `directory`, or a throw-away
    database on the PostgreSQL server `server_url` (created, migrated, dropped at the end)."""
    if server_url is None:
        url = f"sqlite:///{directory / f'{name}.db'}"
        engine = db.make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
        return
    dbname = f"copbot_load_{uuid.uuid4().hex[:10]}"
    url = make_url(server_url).set(database=dbname).render_as_string(hide_password=False)
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    try:
        engine = db.make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()


def seed_database(engine: Engine, world: World) -> None:
    """The communities (each bound to its channel, its first member facilitating), their
    members, the cached messages and the confirmed knowledge (indexed for search)."""
    with Session(engine) as session:
        ids: dict[str, int] = {}
        for i, channel in enumerate(world.channels):
            community = communities.create_community(
                session=session,
                team_id=TEAM,
                name=f"Load Guild {i:02d}",
                domain="",
                channel_id=channel,
                channel_name=f"load-{i:02d}",
                is_private=False,
                created_by=world.members[channel][0],
                timezone="UTC",
                slots=default_slots(),
            )
            communities.add_members(
                session=session, community=community, user_ids=world.members[channel]
            )
            assert community.id is not None
            ids[channel] = community.id
        session.commit()
        rows = [
            {
                "team_id": TEAM,
                "channel_id": m.channel,
                "ts": m.ts,
                "thread_ts": None,
                "user_id": m.user,
                "text": m.text,
                "posted_at": ts_to_datetime(m.ts),
                "received_at": ts_to_datetime(m.ts),
            }
            for channel in world.channels
            for m in world.messages[channel]
        ]
        session.connection().execute(ChannelMessage.__table__.insert(), rows)  # type: ignore[attr-defined]
        for m in world.snippets:
            snippet = Snippet(
                team_id=TEAM,
                community_id=ids[m.channel],
                channel_id=m.channel,
                message_ts=m.ts,
                permalink=f"https://test.slack.com/archives/{m.channel}/p{m.ts.replace('.', '')}",
                author_id=m.user,
                curator_id=m.user,
                title=title_from(m.text),
                text=m.text,
                source=SOURCE_COMMAND,
                status=STATUS_CONFIRMED,
                confirmed_at=ts_to_datetime(m.ts),
            )
            session.add(snippet)
            session.flush()
            tags = hashtags(m.text)
            assert snippet.id is not None
            for tag in tags:
                session.add(SnippetTag(snippet_id=snippet.id, tag=tag, team_id=TEAM))
            index_snippet(session=session, snippet=snippet, tags=tags)
        session.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
