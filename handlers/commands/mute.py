"""/cop mute and /cop unmute: no welcomes and no DMs from copbot, or back again."""

from __future__ import annotations

from handlers.commands.invocation import Invocation
from handlers.commands.registry import EVERYONE, Subcommand
from storage import db, users


def _set(inv: Invocation, muted: bool) -> None:
    with db.session() as session:
        changed = users.set_muted(
            session=session, team_id=inv.team_id, user_id=inv.user_id, muted=muted
        )
    if muted:
        inv.reply_text(
            ":zipper_mouth_face: copbot won't welcome you or send you direct messages any more."
            if changed
            else "copbot is already muted for you. `/cop unmute` undoes it."
        )
    else:
        inv.reply_text(
            "copbot will welcome you and send you direct messages again."
            if changed
            else "copbot isn't muted for you."
        )


def run_mute(inv: Invocation) -> None:
    """No welcome messages or DMs from copbot for the caller."""
    _set(inv, True)


def run_unmute(inv: Invocation) -> None:
    """Welcomes and DMs again."""
    _set(inv, False)


SUBCOMMANDS = (
    Subcommand(
        "mute", "mute", "no welcome messages or DMs from copbot for you", EVERYONE, run_mute
    ),
    Subcommand("unmute", "unmute", "welcomes and DMs from copbot again", EVERYONE, run_unmute),
)
