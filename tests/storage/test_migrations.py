"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from storage import db, knowledge, migrate
from storage.forget import forget_user
from storage.models import metadata
from storage.search import search_snippets


def test_migrated_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": migrate.include_object}
        )
        assert compare_metadata(context, metadata) == []


def test_every_model_table_exists_with_its_unique_constraints(engine: Engine) -> None:
    inspector = inspect(engine)
    assert set(metadata.tables) <= set(inspector.get_table_names())
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("scheduled_post")}
    assert ("community_id", "kind", "period") in uniques
    snippet_uniques = {
        tuple(u["column_names"]) for u in inspector.get_unique_constraints("snippet")
    }
    assert ("team_id", "channel_id", "message_ts") in snippet_uniques


def schema(engine: Engine) -> dict[str, Any]:
    """Everything the migrations create: tables, columns, keys and indexes, and the search
    index objects kept by hand (SQLite's FTS5 tables and triggers, PostgreSQL's functions)."""
    inspector = inspect(engine)
    tables = {}
    for name in sorted(inspector.get_table_names()):
        tables[name] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)
            ],
            "pk": inspector.get_pk_constraint(name)["constrained_columns"],
            "fks": sorted(str(fk) for fk in inspector.get_foreign_keys(name)),
            "uniques": sorted(str(u) for u in inspector.get_unique_constraints(name)),
            "indexes": sorted(str(i) for i in inspector.get_indexes(name)),
        }
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # plain tables are compared above (their SQL text orders constraints as it likes)
            extra = conn.exec_driver_sql(
                "SELECT type, name, CASE WHEN sql LIKE 'CREATE TABLE%' THEN '' ELSE sql END"
                " FROM sqlite_master ORDER BY name"
            )
        else:
            extra = conn.exec_driver_sql(
                "SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                " WHERE NOT tgisinternal ORDER BY tgname"
            )
        objects = [tuple(row) for row in extra]
        revision = MigrationContext.configure(conn).get_current_revision()
    return {"tables": tables, "objects": objects, "revision": revision}


def test_upgrading_a_migrated_database_again_changes_nothing(engine: Engine) -> None:
    before = schema(engine)
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    assert schema(engine) == before
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert before["revision"] == head


def test_each_migration_goes_down_and_up_again(engine: Engine) -> None:
    migrated = schema(engine)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert schema(engine) == migrated


def test_dropping_member_muted_keeps_every_membership(engine: Engine) -> None:
    migrate.downgrade(engine, "0005")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO community (team_id, name, name_key, domain, timezone, knowledge_emoji,"
            " kudos_emoji, reactions_required, require_confirmation, kudos_daily_quota, paused,"
            " created_by, created_at) VALUES ('T1', 'G', 'g', '', 'UTC', 'bulb', 'raised_hands',"
            " 1, false, 10, false, 'UA', '2026-11-30 10:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO member (team_id, community_id, user_id, role, joined_at, muted)"
            " SELECT 'T1', id, 'UB', 'member', '2026-11-30 10:00:00', false FROM community"
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT user_id, role FROM member").all()
    assert [tuple(r) for r in rows] == [("UB", "member")]
    assert "muted" not in {c["name"] for c in inspect(engine).get_columns("member")}


def test_markup_migration_escapes_raw_text_and_keeps_every_related_row(engine: Engine) -> None:
    """0007 rewrites text and rebuilds tables: nothing that points at them may go."""
    migrate.downgrade(engine, "0006")
    with engine.begin() as conn:
        run = conn.exec_driver_sql
        run(
            "INSERT INTO community (team_id, name, name_key, domain, timezone, knowledge_emoji,"
            " kudos_emoji, reactions_required, require_confirmation, kudos_daily_quota, paused,"
            " created_by, created_at) VALUES ('T1', 'Rust & Go', 'rust & go', 'a < b', 'UTC',"
            " 'bulb', 'raised_hands', 1, false, 10, false, 'UA', '2026-11-30 10:00:00')"
        )
        run(
            "INSERT INTO member (team_id, community_id, user_id, role, joined_at)"
            " SELECT 'T1', id, 'UB', 'member', '2026-11-30 10:00:00' FROM community"
        )
        for ts, body, source in (
            ("1.1", "works when 0 < n and a -> b", "shortcut"),  # the Share form, raw
            ("1.2", "0 &lt; n &amp;&amp; <@U1> <https://x.io|x>", "reaction"),  # markup
        ):
            conn.execute(
                text(
                    "INSERT INTO snippet (team_id, community_id, channel_id, message_ts,"
                    " permalink, author_id, curator_id, title, text, source, status, is_private,"
                    " endorsements, created_at) SELECT 'T1', id, 'C1', :ts, '', 'UA', 'UA', '',"
                    " :text, :source, 'confirmed', false, 2, '2026-11-30 10:00:00' FROM community"
                ),
                {"ts": ts, "text": body, "source": source},
            )
        run("INSERT INTO snippet_tag (snippet_id, tag, team_id) SELECT id, 'go', 'T1' FROM snippet")
        run(
            "INSERT INTO endorsement (team_id, snippet_id, user_id, emoji, created_at)"
            " SELECT 'T1', id, 'UA', '', '2026-11-30 10:00:00' FROM snippet"
        )
        run(
            "INSERT INTO endorsement (team_id, snippet_id, user_id, emoji, created_at)"
            " SELECT 'T1', id, 'UB', 'bulb', '2026-11-30 10:00:00' FROM snippet"
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        run = conn.exec_driver_sql
        texts = [r[0] for r in run("SELECT text FROM snippet ORDER BY message_ts")]
        assert texts == [
            "works when 0 &lt; n and a -&gt; b",
            "0 &lt; n &amp;&amp; <@U1> <https://x.io|x>",
        ]
        assert run("SELECT name, name_key, domain FROM community").one() == (
            "Rust &amp; Go",
            "rust &amp; go",
            "a &lt; b",
        )
        assert run("SELECT count(*) FROM member").scalar() == 1
        assert run("SELECT count(*) FROM snippet_tag").scalar() == 2
        assert [tuple(r) for r in run("SELECT user_id, emoji FROM endorsement")] == [
            ("UB", "bulb"),
            ("UB", "bulb"),
        ]
        assert {r[0] for r in run("SELECT endorsements FROM snippet")} == {1}
    # the index was rebuilt from the text as read: entities are not words
    with db.session() as session:
        found = search_snippets(session=session, team_id="T1", query="works")
        assert [s.message_ts for s in found.snippets] == ["1.1"]
        assert search_snippets(session=session, team_id="T1", query="amp").snippets == []


def test_thread_lines_get_their_authors_from_the_cache_where_it_still_has_them(
    engine: Engine,
) -> None:
    """0008: who wrote each line of a thread snippet comes from the cached replies; a line
    whose reply left the cache keeps its place with no known author."""
    migrate.downgrade(engine, "0007")
    threads = {
        # Bob's first answer left the cache (older than its retention), the rest is there
        "1.1": "Rotate keys?\n\n— Bob Builder: with vault\n— Carol D: kms\n— Bob Builder: audit",
        # none of its replies is cached any more
        "2.1": "Old question\n\n— Bob Builder: old answer",
        # a single message
        "3.1": "Just a tip",
    }
    cached = [
        ("1.1", None, "UALICE", "Rotate keys?"),
        ("1.3", "1.1", "UCAROL", "kms"),
        ("1.4", "1.1", "UBOB", "audit"),
    ]
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO community (team_id, name, name_key, domain, timezone, knowledge_emoji,"
            " kudos_emoji, reactions_required, require_confirmation, kudos_daily_quota, paused,"
            " created_by, created_at) VALUES ('T0001', 'G', 'g', '', 'UTC', 'bulb',"
            " 'raised_hands', 1, false, 10, false, 'UA', '2026-11-30 10:00:00')"
        )
        for ts, body in threads.items():
            conn.execute(
                text(
                    "INSERT INTO snippet (team_id, community_id, channel_id, message_ts,"
                    " permalink, author_id, curator_id, title, text, source, status, is_private,"
                    " endorsements, created_at) SELECT 'T0001', id, 'C1', :ts, '', 'UALICE',"
                    " 'UALICE', '', :text, 'reaction', 'confirmed', false, 1,"
                    " '2026-11-30 10:00:00' FROM community"
                ),
                {"ts": ts, "text": body},
            )
        for ts, thread_ts, user, body in cached:
            conn.execute(
                text(
                    "INSERT INTO channel_message (team_id, channel_id, ts, thread_ts, user_id,"
                    " text, posted_at, received_at) VALUES ('T0001', 'C1', :ts, :thread, :user,"
                    " :text, '2026-11-30 10:00:00', '2026-11-30 10:00:00')"
                ),
                {"ts": ts, "thread": thread_ts, "user": user, "text": body},
            )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT s.message_ts, r.position, r.ts, r.user_id, r.name, r.text, r.removed"
            " FROM snippet_reply r JOIN snippet s ON s.id = r.snippet_id"
            " ORDER BY s.message_ts, r.position"
        ).all()
        # a confirmed snippet is dated by its confirmation: capture time where none was kept
        assert {r[0] for r in conn.exec_driver_sql("SELECT confirmed_at FROM snippet")} == {
            conn.exec_driver_sql("SELECT created_at FROM snippet").scalar()
        }
    assert [tuple(r) for r in rows] == [
        ("1.1", 0, "", "", "Bob Builder", "with vault", False),
        ("1.1", 1, "1.3", "UCAROL", "Carol D", "kms", False),
        ("1.1", 2, "1.4", "UBOB", "Bob Builder", "audit", False),
    ]
    with db.session() as session:
        gone = forget_user(session=session, team_id="T0001", user_id="UBOB")
        kept = knowledge.get_snippet(
            session=session, team_id="T0001", channel_id="C1", message_ts="1.1"
        )
        assert gone.replies == 1 and kept is not None
        assert kept.text == "Rotate keys?\n\n— Bob Builder: with vault\n— Carol D: kms\n— (removed)"


def test_a_channel_bound_twice_keeps_its_first_community_and_pauses_the_other(
    engine: Engine,
) -> None:
    migrate.downgrade(engine, "0010")
    with engine.begin() as conn:
        for name in ("First", "Second"):
            conn.exec_driver_sql(
                "INSERT INTO community (team_id, name, name_key, domain, timezone,"
                " knowledge_emoji, kudos_emoji, reactions_required, require_confirmation,"
                " kudos_daily_quota, paused, created_by, created_at) VALUES ('T1', %(n)s,"
                " %(n)s, '', 'UTC', 'bulb', 'raised_hands', 1, false, 10, false, 'UA',"
                " '2026-11-30 10:00:00')".replace("%(n)s", f"'{name}'")
            )
        conn.exec_driver_sql(
            "INSERT INTO community_channel (team_id, community_id, channel_id, channel_name,"
            " is_private, added_by, added_at) SELECT 'T1', id, 'CSAME', 'same', false, 'UA',"
            " '2026-11-30 10:00:00' FROM community ORDER BY id"
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        bound = conn.exec_driver_sql(
            "SELECT c.name FROM community_channel b JOIN community c ON c.id = b.community_id"
        ).all()
        paused = conn.exec_driver_sql(
            "SELECT name, paused_reason FROM community WHERE paused ORDER BY name"
        ).all()
    assert [tuple(r) for r in bound] == [("First",)]
    assert [tuple(r) for r in paused] == [("Second", "its channel hosts another community")]


def test_prompts_are_numbered_within_their_community_and_built_ins_reworded(
    engine: Engine,
) -> None:
    """0017: each community's prompts numbered 1, 2, 3 … in the order they were added, and
    its copies of the old built-in prompts reworded unless a facilitator changed them."""
    migrate.downgrade(engine, "0016")
    old = "What is one thing about our field you wish someone had told you in your first month?"
    with engine.begin() as conn:
        for name in ("A", "B"):
            conn.execute(
                text(
                    "INSERT INTO community (team_id, name, name_key, domain, timezone,"
                    " knowledge_emoji, kudos_emoji, reactions_required, require_confirmation,"
                    " kudos_daily_quota, paused, created_by, created_at) VALUES ('T0001', :n,"
                    " :n, '', 'UTC', 'bulb', 'raised_hands', 1, false, 10, false, 'UA',"
                    " '2026-11-30 10:00:00')"
                ),
                {"n": name},
            )
        bank = [("A", old, True), ("B", old, True), ("A", "Our own question?", False)]
        bank += [("B", old + " (edited)", True)]
        for name, body, default in bank:
            conn.execute(
                text(
                    "INSERT INTO prompt (team_id, community_id, text, is_default, created_by,"
                    " created_at, times_used) SELECT 'T0001', id, :text, :default, '',"
                    " '2026-11-30 10:00:00', 0 FROM community WHERE name = :n"
                ),
                {"n": name, "text": body, "default": default},
            )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT c.name, p.number, p.text FROM prompt p JOIN community c"
            " ON c.id = p.community_id ORDER BY c.name, p.number"
        ).all()
    new = "What is one thing you wish someone had told you when you first got into this?"
    assert [tuple(r) for r in rows] == [
        ("A", 1, new),
        ("A", 2, "Our own question?"),
        ("B", 1, new),
        ("B", 2, old + " (edited)"),
    ]
