"""Search latency: storage.search.search_snippets against a LIKE '%word%' scan, same run.

    .venv/bin/python -m bench.search [--snippets 100000] [--queries 200] [--seed 7]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Builds a workspace of realistic snippets in bulk, then times the same queries through the
storage function and through the naive scan it replaces. Target: p95 under 10 ms on SQLite
and at least 20× faster than the scan.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session

from bot.config import normalise_database_url
from bot.text import hashtags, title_from
from scheduler.kinds import default_slots
from storage import communities, db, migrate
from storage.models import Snippet, SnippetTag
from storage.models.knowledge import SOURCE_COMMAND, STATUS_CONFIRMED
from storage.search import index_snippet, search_snippets, search_terms
from tests.databases import PostgresDatabase

TEAM = "T0BENCH"
CHUNK = 5_000
WARMUP = 20
TARGET_P95_MS = 10.0
TARGET_RATIO = 20.0
INDEX_SAMPLES = 12

# ----- realistic text ------------------------------------------------------------------------
TOOLS = (
    "pytest mypy ruff docker kubernetes terraform postgres sqlite redis kafka react typescript "
    "webpack grafana prometheus ansible git jenkins celery django flask fastapi pandas numpy "
    "airflow nginx sentry helm vault poetry"
).split()
TOPICS = (
    "fixtures decorators generators migrations dashboards pipelines containers indexes queries "
    "transactions deployments releases branches commits mocks logs metrics alerts secrets "
    "dependencies wheels lockfiles schemas endpoints caches workers queues webhooks"
).split()
VERBS = (
    "refactor debug profile deploy cache mock benchmark document review pin lint migrate "
    "monitor paginate retry parametrize vendor rotate shard batch trace squash rebase"
).split()
ADJECTIVES = (
    "flaky slow async nested stale idempotent brittle noisy legacy duplicated unbounded lazy "
    "readable typed immutable"
).split()
PROBLEMS = (
    "timeout deadlock race leak regression outage bottleneck crash hang mismatch drift"
).split()
PRACTICES = (
    "onboarding retro guild mentoring pairing brownbag runbook postmortem demo kata workshop "
    "standup playbook checklist roadmap"
).split()
PEOPLE = "Alice Bob Carol Dmitri Esther Farid Grace Hiro Ines Jamal Kofi Lena".split()
ABSENT = "quokka zeppelin marzipan origami xylophone fjord kumquat".split()
WORDS = TOOLS + TOPICS + VERBS + ADJECTIVES + PROBLEMS + PRACTICES
TAGGABLE = TOOLS + TOPICS + PRACTICES
AUTHORS = [f"UAUTH{i:04d}" for i in range(12)]
# (name, channel, private): the last one holds the ~5% of private knowledge
COMMUNITIES = [
    ("Python Guild", "CPYTHON", False),
    ("Testing", "CTESTING", False),
    ("Platform", "CPLATFORM", False),
    ("Frontend", "CFRONTEND", False),
    ("Data", "CDATA", False),
    ("Security", "GSECURITY", True),
]
PRIVATE_SHARE = 0.05

TITLES = [
    "How to {verb} {adj} {topic} in {tool}",
    "TIL: {tool} can {verb} {topic} for you",
    "Why our {topic} were {adj} (and the {problem} behind it)",
    "{tool} tip: {verb} your {topic} before shipping",
    "Notes from the {practice}: {tool} and {topic}",
    "Fixing a {problem} in {tool} {topic}",
    "Quick one: {verb} {topic} with {tool2}",
]
SENTENCES = [
    "We used {tool} to {verb} the {topic} and the {problem} went away.",
    "If your {topic} are {adj}, try to {verb} them first.",
    "Remember to {verb} {topic} before the {practice} on Thursday.",
    "{tool} has a flag for this; the docs on {topic} explain it well.",
    "In the last {practice}, {person} showed how to {verb} {adj} {topic}.",
    "The trick is to keep {topic} {adj} and {verb} them in CI with {tool2}.",
    "A {problem} in {tool} usually means the {topic} are {adj}.",
    "Sit down with {person} if you need to {verb} {topic} in {tool}.",
    "The {practice} notes say: {verb} the {topic}, then check {tool2} for a {problem}.",
    "{person} wrote up why {adj} {topic} caused the {problem} last sprint.",
]


def _slots(rng: random.Random) -> dict[str, str]:
    return {
        "tool": rng.choice(TOOLS),
        "tool2": rng.choice(TOOLS),
        "topic": rng.choice(TOPICS),
        "verb": rng.choice(VERBS),
        "adj": rng.choice(ADJECTIVES),
        "problem": rng.choice(PROBLEMS),
        "practice": rng.choice(PRACTICES),
        "person": rng.choice(PEOPLE),
    }


def message_text(rng: random.Random) -> str:
    """A message as people post knowledge: a title line, 1-6 sentences, maybe #hashtags."""
    title = rng.choice(TITLES).format(**_slots(rng))
    sentences = [rng.choice(SENTENCES).format(**_slots(rng)) for _ in range(rng.randint(1, 6))]
    tags = rng.sample(TAGGABLE, rng.choice((0, 1, 1, 2, 2, 3)))
    tag_line = (" " + " ".join(f"#{t}" for t in tags)) if tags else ""
    return f"{title}\n{' '.join(sentences)}{tag_line}"


@dataclass(frozen=True)
class FakeSnippet:
    id: int
    title: str
    text: str
    tags: list[str]
    author_id: str
    community: int
    endorsements: int


def fake_snippet(rng: random.Random, snippet_id: int) -> FakeSnippet:
    """One snippet whose title and tags come from its text the way capture derives them."""
    body = message_text(rng)
    private = rng.random() < PRIVATE_SHARE
    community = len(COMMUNITIES) - 1 if private else rng.randrange(len(COMMUNITIES) - 1)
    return FakeSnippet(
        id=snippet_id,
        title=title_from(body),
        text=body,
        tags=hashtags(body),
        author_id=rng.choice(AUTHORS),
        community=community,
        endorsements=min(int(rng.expovariate(0.5)), 12),
    )


# ----- building the database ---------------------------------------------------------------
@contextmanager
def database(url: str | None) -> Iterator[Engine]:
    """A migrated, empty database: a throw-away one on a PostgreSQL server, else SQLite."""
    if url and url.startswith("postgresql"):
        throwaway = PostgresDatabase(url)
        throwaway.create()  # creates it and runs storage.migrate.upgrade
        engine = db.make_engine(throwaway.url)
        try:
            yield engine
        finally:
            engine.dispose()
            throwaway.drop()
        return
    with tempfile.TemporaryDirectory(prefix="copbot-bench-") as tmp:
        sqlite_url = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        path = make_url(sqlite_url).database
        if url and path and Path(path).exists():
            raise SystemExit(f"{path} exists; give a new file (it is filled with fake knowledge)")
        engine = db.make_engine(sqlite_url)
        migrate.upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()


def create_communities(engine: Engine) -> list[int]:
    with Session(engine) as session:
        created = [
            communities.create_community(
                session=session,
                team_id=TEAM,
                name=name,
                domain="",
                channel_id=channel,
                channel_name=name.lower().replace(" ", "-"),
                is_private=private,
                created_by=AUTHORS[0],
                timezone="UTC",
                slots=default_slots(),
            )
            for name, channel, private in COMMUNITIES
        ]
        return [c.id for c in created if c.id is not None]


def snippet_row(snippet: FakeSnippet, community_ids: list[int], start: datetime) -> dict[str, Any]:
    _, channel, private = COMMUNITIES[snippet.community]
    created = start + timedelta(minutes=snippet.id)
    return {
        "id": snippet.id,
        "team_id": TEAM,
        "community_id": community_ids[snippet.community],
        "channel_id": channel,
        "message_ts": f"{int(created.timestamp())}.{snippet.id % 1_000_000:06d}",
        "thread_ts": None,
        "permalink": f"https://bench.slack.com/archives/{channel}/p{snippet.id}",
        "author_id": snippet.author_id,
        "curator_id": snippet.author_id,
        "title": snippet.title,
        "text": snippet.text,
        "source": SOURCE_COMMAND,
        "status": STATUS_CONFIRMED,
        "is_private": private,
        "endorsements": snippet.endorsements,
        "confirmed_by": None,
        "created_at": created,
        "confirmed_at": created,
        "edited_at": None,
        "deleted_at": None,
    }


# The statement storage.search.index_snippet runs for one snippet, here executed for many rows
# (it has no bulk form); check_index() proves both write the same entries.
INDEX_SQL = {
    "postgresql": (
        "INSERT INTO snippet_search (snippet_id, document) VALUES (:id, "
        "setweight(to_tsvector('english', :title), 'A') || "
        "setweight(to_tsvector('english', :tags), 'B') || "
        "setweight(to_tsvector('english', :body), 'D'))"
    ),
    "sqlite": (
        "INSERT INTO snippet_fts (rowid, title, body, tags) VALUES (:id, :title, :body, :tags)"
    ),
}
ENTRY_SQL = {
    "postgresql": "SELECT document::text FROM snippet_search WHERE snippet_id = :id",
    "sqlite": "SELECT title, body, tags FROM snippet_fts WHERE rowid = :id",
}


def insert_chunk(
    conn: Connection, batch: list[FakeSnippet], community_ids: list[int], start: datetime
) -> None:
    conn.execute(
        Snippet.__table__.insert(),  # type: ignore[attr-defined]
        [snippet_row(s, community_ids, start) for s in batch],
    )
    tags = [{"snippet_id": s.id, "tag": t, "team_id": TEAM} for s in batch for t in s.tags]
    if tags:
        conn.execute(SnippetTag.__table__.insert(), tags)  # type: ignore[attr-defined]
    index_rows = [
        {"id": s.id, "title": s.title, "body": s.text, "tags": " ".join(s.tags)} for s in batch
    ]
    conn.execute(text(INDEX_SQL[conn.dialect.name]), index_rows)


def build(engine: Engine, count: int, seed: int) -> dict[int, list[str]]:
    """Fill the database with `count` confirmed snippets; returns a sample's ids and tags."""
    community_ids = create_communities(engine)
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    every = max(1, count // INDEX_SAMPLES)
    samples: dict[int, list[str]] = {}
    with engine.begin() as conn:
        for first in range(1, count + 1, CHUNK):
            batch = [fake_snippet(rng, i) for i in range(first, min(first + CHUNK, count + 1))]
            insert_chunk(conn, batch, community_ids, start)
            samples.update({s.id: s.tags for s in batch if s.id % every == 0})
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('snippet', 'id'), :n)"), {"n": count}
            )
    if engine.dialect.name == "postgresql":
        # the steady state of a live server, where autovacuum has analysed the tables
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    return samples


def check_index(engine: Engine, samples: dict[int, list[str]]) -> None:
    """Re-index a sample through storage.search.index_snippet: the entries must not change."""
    entry = text(ENTRY_SQL[engine.dialect.name])
    with Session(engine) as session:
        for snippet_id, tags in samples.items():
            before = session.connection().execute(entry, {"id": snippet_id}).all()
            snippet = session.get(Snippet, snippet_id)
            assert snippet is not None
            index_snippet(session=session, snippet=snippet, tags=tags)
            after = session.connection().execute(entry, {"id": snippet_id}).all()
            if before != after:
                raise SystemExit(f"bulk index of snippet {snippet_id} differs from index_snippet")
        session.rollback()


# ----- queries -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    tags: tuple[str, ...] = ()


KINDS = ["word"] * 3 + ["two words"] * 3 + ["prefix"] * 2 + ["word + tag", "absent"]


def make_query(rng: random.Random) -> Query:
    kind = rng.choice(KINDS)
    if kind == "word":
        return Query(kind, rng.choice(WORDS))
    if kind == "two words":
        return Query(kind, " ".join(rng.sample(WORDS, 2)))
    if kind == "prefix":
        return Query(kind, rng.choice([w for w in WORDS if len(w) >= 6])[:4])
    if kind == "word + tag":
        return Query(kind, rng.choice(WORDS), (rng.choice(TAGGABLE),))
    # nothing has it: one unknown word, or a known one with it (the any-word fallback)
    words = [rng.choice(ABSENT), *rng.sample(WORDS, rng.randint(0, 1))]
    return Query(kind, " ".join(words))


def make_queries(seed: int, count: int) -> list[Query]:
    rng = random.Random(seed)
    return [make_query(rng) for _ in range(count)]


def run_search(session: Session, query: Query) -> int:
    page = search_snippets(
        session=session, team_id=TEAM, query=query.text, tags=query.tags, limit=5
    )
    return len(page.snippets)


def like_sql(words: Sequence[str], tags: Sequence[str]) -> str:
    """The scan search replaces: every word as a substring, best first, one page plus one.

    Without a full-text index the only ranking signal is endorsements, and ordering by it
    means reading every row: that full scan is what ranked search saves. (Ordering by id
    instead would stop at the sixth hit and rank nothing.)
    """
    likes = " AND ".join(f"lower(text) LIKE :p{i}" for i in range(len(words)))
    tagged = "".join(
        f" AND EXISTS (SELECT 1 FROM snippet_tag t{i}"
        f" WHERE t{i}.snippet_id = snippet.id AND t{i}.tag = :tag{i})"
        for i in range(len(tags))
    )
    return (
        "SELECT id FROM snippet WHERE team_id = :t AND status = :confirmed AND is_private = :no"
        f" AND ({likes}){tagged} ORDER BY endorsements DESC, id DESC LIMIT 6"
    )


def run_like(session: Session, query: Query) -> int:
    words = search_terms(query.text)
    params: dict[str, Any] = {"t": TEAM, "confirmed": STATUS_CONFIRMED, "no": False}
    params.update({f"p{i}": f"%{w}%" for i, w in enumerate(words)})
    params.update({f"tag{i}": tag for i, tag in enumerate(query.tags)})
    rows = session.connection().execute(text(like_sql(words, query.tags)), params).all()
    return len(rows)


# ----- measuring and reporting ---------------------------------------------------------------
@dataclass(frozen=True)
class Timings:
    ms: list[float]
    kinds: list[str]
    hits: int

    def pct(self, p: int, kind: str | None = None) -> float:
        values = [m for m, k in zip(self.ms, self.kinds, strict=True) if kind in (None, k)]
        if len(values) < 2:
            return values[0] if values else float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1]

    @property
    def max(self) -> float:
        return max(self.ms)


def measure(
    engine: Engine,
    runs: Sequence[Callable[[Session, Query], int]],
    queries: list[Query],
    repeats: int,
) -> list[Timings]:
    """Time each query with every method, interleaved, in one session after a warm-up.

    Query by query, each method runs `repeats` times in turn (search, LIKE, search, LIKE,
    ...) and the query's time is the median of its runs: a moment of noise on a shared
    machine hits both methods alike and moves neither median, so the ratio is the methods'.
    """
    with Session(engine) as session:
        for run in runs:
            for query in queries[:WARMUP]:
                run(session, query)
        ms: list[list[float]] = [[] for _ in runs]
        hits = [0 for _ in runs]
        for query in queries:
            samples: list[list[float]] = [[] for _ in runs]
            found = [0 for _ in runs]
            for _ in range(repeats):
                for i, run in enumerate(runs):
                    began = time.perf_counter()
                    found[i] = run(session, query)
                    samples[i].append((time.perf_counter() - began) * 1000)
            for i in range(len(runs)):
                ms[i].append(statistics.median(samples[i]))
                hits[i] += found[i] > 0
    kinds = [q.kind for q in queries]
    return [Timings(times, kinds, found) for times, found in zip(ms, hits, strict=True)]


def report(engine: Engine, snippets: int, build_s: float, search: Timings, like: Timings) -> None:
    name = engine.dialect.name
    print(f"\nbuilt {snippets:,} snippets on {name} in {build_s:.1f} s\n")
    print(
        f"{'engine':<11}{'snippets':>9}{'queries':>9}  {'method':<8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'with hits':>11}"
    )
    for label, t in (("search", search), ("LIKE", like)):
        print(
            f"{name:<11}{snippets:>9}{len(t.ms):>9}  {label:<8}"
            f"{t.pct(50):>9.2f}{t.pct(95):>9.2f}{t.max:>9.2f}{t.hits:>11}"
        )
    p50, p95 = like.pct(50) / search.pct(50), like.pct(95) / search.pct(95)
    print(f"\nratio LIKE / search: p50 {p50:.2f}×, p95 {p95:.2f}×\n")
    print(
        f"{'query kind':<12}{'n':>5}{'search p50':>12}{'search p95':>12}"
        f"{'LIKE p50':>10}{'LIKE p95':>10}"
    )
    for kind in dict.fromkeys(KINDS):
        n = search.kinds.count(kind)
        if n:
            print(
                f"{kind:<12}{n:>5}{search.pct(50, kind):>12.2f}{search.pct(95, kind):>12.2f}"
                f"{like.pct(50, kind):>10.2f}{like.pct(95, kind):>10.2f}"
            )
    met = search.pct(95) < TARGET_P95_MS and p95 >= TARGET_RATIO
    verdict = "met" if met else "NOT met"
    if name != "sqlite":
        verdict += " (the target is SQLite's)"
    print(
        f"\ntarget: p95 < {TARGET_P95_MS:.0f} ms and ≥ {TARGET_RATIO:.0f}× faster than LIKE: "
        f"{verdict}"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--snippets", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of each query by each method; its time is their median (default 3)",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (a throw-away database is made there), or a new SQLite file; "
        "default: SQLite in a temporary directory",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    url = normalise_database_url(args.database_url) if args.database_url else None
    with database(url) as engine:
        began = time.perf_counter()
        samples = build(engine, args.snippets, args.seed)
        build_s = time.perf_counter() - began
        check_index(engine, samples)
        queries = make_queries(args.seed + 1, args.queries)
        search, like = measure(engine, [run_search, run_like], queries, max(1, args.repeats))
        report(engine, args.snippets, build_s, search, like)


if __name__ == "__main__":
    main()
