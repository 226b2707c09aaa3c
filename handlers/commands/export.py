"""/cop export [csv|json|md]: the community's confirmed knowledge as a file, sent to the caller."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator

from slack_sdk import WebClient
from sqlmodel import Session

from bot.errors import CopError
from bot.export import FORMATS, ExportRow, write_csv, write_json, write_markdown
from bot.lookups import display_names
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from handlers.shared.privacy import visible_private_channels
from storage import communities, db, knowledge
from storage.markup import mentioned_users, to_mrkdwn, visible, with_names
from storage.models import Community


def export_rows(
    client: WebClient, session: Session, community: Community, *, viewer: str
) -> Iterator[ExportRow]:
    """Rows for the file (authors and people mentioned by name), one batch in memory at a
    time: what `viewer` may read (a private channel's knowledge only if they are in it)."""
    assert community.id is not None
    names: dict[str, str] = {}
    visible = set(
        visible_private_channels(client, session, team_id=community.team_id, user_id=viewer)
    )
    channel_names = {
        c.channel_id: f"#{c.channel_name}"
        for c in communities.channels_of(session=session, community_id=community.id)
        if c.channel_name
    }
    for snippet, tags in knowledge.iter_confirmed(session=session, community_id=community.id):
        if snippet.is_private and snippet.channel_id not in visible:
            continue
        people = [snippet.author_id, *mentioned_users(snippet.title + snippet.text)]
        unknown = [u for u in people if u not in names]
        if unknown:
            names.update(
                display_names(client, session, team_id=community.team_id, user_ids=unknown)
            )
        yield ExportRow(
            id=snippet.id or 0,
            title=with_names(snippet.title, names),
            text=with_names(snippet.text, names),
            author=names[snippet.author_id],
            tags=tags,
            endorsements=snippet.endorsements,
            channel=channel_names.get(snippet.channel_id, snippet.channel_id),
            permalink=snippet.permalink,
            created_at=snippet.created_at.isoformat(timespec="seconds"),
        )


def run_export(inv: Invocation) -> None:
    """Write the file after the ack, then send it to the caller in a direct message."""
    fmt = (inv.args.split() or ["md"])[0].lower().lstrip(".")
    if fmt not in FORMATS:
        raise CopError("Pick a format: `/cop export md`, `/cop export csv` or `/cop export json`.")
    with db.session() as session:
        community = inv.home
        inv.reply_text(
            f":hourglass_flowing_sand: Preparing the {fmt} export of *{to_mrkdwn(community.name)}*…"
        )
        slug = re.sub(r"[^a-z0-9]+", "-", visible(community.name).lower()).strip("-")
        slug = slug or "community"
        filename = f"{slug}-knowledge.{fmt}"
        # a CSV says it is UTF-8 (a byte-order mark), or Excel reads its emoji and dashes wrong
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        with tempfile.NamedTemporaryFile("w+", encoding=encoding, suffix=f".{fmt}") as out:
            rows = export_rows(inv.client, session, community, viewer=inv.user_id)
            if fmt == "csv":
                count = write_csv(rows, out)
            elif fmt == "json":
                count = write_json(rows, out)
            else:
                title = f"{visible(community.name)}: community knowledge"
                count = write_markdown(rows, out, title=title)
            out.flush()
            dm = inv.client.conversations_open(users=inv.user_id)["channel"]["id"]
            inv.client.files_upload_v2(
                channel=dm,
                file=out.name,
                filename=filename,
                title=f"{visible(community.name)} knowledge ({fmt})",
                initial_comment=f"{count} snippets from *{to_mrkdwn(community.name)}*.",
            )
    inv.reply_text(
        f":white_check_mark: Sent you `{filename}` ({count} snippets) in a direct message.",
        replace=True,
    )


SUBCOMMANDS = (
    Subcommand(
        "export",
        "export [csv|json|md]",
        "the community's knowledge as a file, sent to you (Markdown groups it by tag)",
        FACILITATORS,
        run_export,
        action="export its knowledge",
    ),
)
