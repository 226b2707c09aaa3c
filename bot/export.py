"""Writing a community's knowledge to a file: CSV, JSON or Markdown grouped by tag.

Writers take an iterator of rows and a text file, so any number of snippets is written
without holding them all in memory. Rows hold markup (storage/markup.py) with people named;
each writer turns it into what its file shows: plain text in CSV and JSON, Markdown in .md.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import IO

from storage.markup import markdown_label, markdown_text, to_markdown, visible

FORMATS = ("csv", "json", "md")
UNTAGGED = "untagged"
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportRow:
    """One snippet to export; title and text are markup, the rest plain."""

    id: int
    title: str
    text: str
    author: str
    tags: list[str]
    endorsements: int
    channel: str  # "#name", as people know it
    permalink: str
    created_at: str


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a quote mark.

    defusedcsv does the same but leaves a leading tab or carriage return, which OWASP lists.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def plain(row: ExportRow) -> ExportRow:
    """The row as people read it: no markup left in its title or text."""
    return replace(row, title=visible(row.title), text=visible(row.text))


def write_csv(rows: Iterable[ExportRow], out: IO[str]) -> int:
    """Plain text, every cell safe to open in a spreadsheet."""
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
    for row in map(plain, rows):
        cells = [
            row.id,
            row.title,
            row.text,
            row.author,
            " ".join(row.tags),
            row.endorsements,
            row.channel,
            row.permalink,
            row.created_at,
        ]
        writer.writerow([safe_cell(cell) for cell in cells])
        count += 1
    return count


def write_json(rows: Iterable[ExportRow], out: IO[str]) -> int:
    out.write("[\n")
    count = 0
    for row in map(plain, rows):
        out.write(("," if count else "") + json.dumps(asdict(row), ensure_ascii=False) + "\n")
        count += 1
    out.write("]\n")
    return count


def _md_entry(row: ExportRow) -> str:
    title = visible(row.title) or visible(row.text).strip().split("\n", 1)[0][:80] or "Untitled"
    title = markdown_label(title)
    link = f"[{title}]({row.permalink})" if row.permalink.startswith("https://") else title
    quoted = "\n".join("> " + line for line in to_markdown(row.text).splitlines()) or ">"
    endorsed = f"{row.endorsements} endorsement{'' if row.endorsements == 1 else 's'}"
    return (
        f"### {link}\n\n{quoted}\n\n"
        f"*by {markdown_text(row.author)} · {endorsed} · {row.created_at[:10]}*\n\n"
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
        grouped = f"{count} snippet{'' if count == 1 else 's'}, grouped by tag."
        out.write(f"# {markdown_text(title)}\n\n{grouped}\n\n")
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
