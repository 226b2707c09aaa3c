"""Writing a community's knowledge to a file: CSV, JSON or Markdown grouped by tag.

Writers take an iterator of rows and a text file, so any number of snippets is written
without holding them all in memory.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import IO

FORMATS = ("csv", "json", "md")
UNTAGGED = "untagged"


@dataclass(frozen=True)
class ExportRow:
    id: int
    title: str
    text: str
    author: str
    tags: list[str]
    endorsements: int
    channel_id: str
    permalink: str
    created_at: str


def write_csv(rows: Iterable[ExportRow], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "title",
            "text",
            "author",
            "tags",
            "endorsements",
            "channel",
            "permalink",
            "created_at",
        ]
    )
    count = 0
    for row in rows:
        writer.writerow(
            [
                row.id,
                row.title,
                row.text,
                row.author,
                " ".join(row.tags),
                row.endorsements,
                row.channel_id,
                row.permalink,
                row.created_at,
            ]
        )
        count += 1
    return count


def write_json(rows: Iterable[ExportRow], out: IO[str]) -> int:
    out.write("[\n")
    count = 0
    for row in rows:
        out.write(("," if count else "") + json.dumps(asdict(row), ensure_ascii=False) + "\n")
        count += 1
    out.write("]\n")
    return count


def _md_entry(row: ExportRow) -> str:
    title = row.title or row.text.split("\n", 1)[0][:80] or "Untitled"
    link = f"[{title}]({row.permalink})" if row.permalink.startswith("https://") else title
    quoted = "\n".join("> " + line for line in row.text.splitlines()) or ">"
    return (
        f"### {link}\n\n{quoted}\n\n"
        f"*by {row.author} · {row.endorsements} endorsements · {row.created_at[:10]}*\n\n"
    )


def write_markdown(rows: Iterable[ExportRow], out: IO[str], *, title: str) -> int:
    """Markdown grouped by tag: a snippet with several tags appears under each of them.

    One pass over the rows; entries wait on disk, in a scratch SQLite file, until every
    tag's section can be written in order.
    """
    with tempfile.TemporaryDirectory() as scratch:
        index = sqlite3.connect(f"{scratch}/entries.db")
        index.execute("CREATE TABLE entry (tag TEXT, id INTEGER, body TEXT)")
        count = 0
        for row in rows:
            body = _md_entry(row)
            index.executemany(
                "INSERT INTO entry VALUES (?, ?, ?)",
                [(tag, row.id, body) for tag in (row.tags or [UNTAGGED])],
            )
            count += 1
        index.commit()
        out.write(f"# {title}\n\n{count} snippets, grouped by tag.\n\n")
        current = None
        ordered = index.execute(
            "SELECT tag, body FROM entry ORDER BY tag = ?, tag, id", (UNTAGGED,)
        )
        for tag, body in ordered:
            if tag != current:
                out.write(f"## #{tag}\n\n" if tag != UNTAGGED else "## Untagged\n\n")
                current = tag
            out.write(body)
        index.close()
    return count
