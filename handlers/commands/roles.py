"""/cop facilitator add|remove @person: who runs the community."""

from __future__ import annotations

from bot.blocks.community import made_facilitator, no_longer_facilitator
from bot.errors import CopError
from bot.lookups import user_profile
from bot.mrkdwn import user
from bot.text import user_mentions
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from handlers.shared.notify import Told, tell_privately
from storage import communities, db
from storage.markup import to_mrkdwn
from storage.models import ROLE_FACILITATOR, ROLE_MEMBER

USAGE = "Try `/cop facilitator add @name` or `/cop facilitator remove @name`."


def run_facilitator(inv: Invocation) -> None:
    """Add or remove a facilitator of this channel's community."""
    action, _, rest = inv.args.partition(" ")
    people = user_mentions(rest)
    if action.lower() not in ("add", "remove") or len(people) != 1:
        raise CopError(f"Name one person from Slack's @-menu. {USAGE}")
    target = people[0]
    with db.session() as session:
        community = inv.home
        assert community.id is not None
        if action.lower() == "add":
            profile = user_profile(inv.client, session, team_id=inv.team_id, user_id=target)
            if profile is None or profile.is_bot or profile.deleted:
                raise CopError("Facilitators are people in this workspace, not apps.")
            changed = communities.set_role(
                session=session, community=community, user_id=target, role=ROLE_FACILITATOR
            )
            name = to_mrkdwn(community.name)
            text = (
                f"{user(target)} is now a facilitator of *{name}*."
                if changed
                else f"{user(target)} already facilitates *{name}*."
            )
            if changed and target != inv.user_id:
                told = tell_privately(
                    inv.client,
                    session,
                    team_id=inv.team_id,
                    user_id=target,
                    text=made_facilitator(by=inv.user_id, community_name=community.name),
                )
                text += _told(told)
        else:
            current = communities.facilitator_ids(session=session, community_id=community.id)
            if target not in current:
                raise CopError(f"{user(target)} isn't a facilitator of *{community.name}*.")
            try:
                changed = communities.set_role(
                    session=session, community=community, user_id=target, role=ROLE_MEMBER
                )
            except communities.LastFacilitator:
                raise CopError(
                    f"{user(target)} is the last facilitator of *{to_mrkdwn(community.name)}*. "
                    "Add another with `/cop facilitator add @name` first."
                ) from None
            text = f"{user(target)} is no longer a facilitator of *{to_mrkdwn(community.name)}*."
            if changed and target != inv.user_id:  # of two removals at once, one tells them
                told = tell_privately(
                    inv.client,
                    session,
                    team_id=inv.team_id,
                    user_id=target,
                    text=no_longer_facilitator(by=inv.user_id, community_name=community.name),
                )
                text += _told(told)
    inv.reply_text(text)


def _told(told: Told) -> str:
    if told is Told.SENT:
        return " They were told privately."
    if told is Told.MUTED:
        return " They muted copbot, so they weren't told."
    return " Slack wouldn't let copbot tell them."


SUBCOMMANDS = (
    Subcommand(
        "facilitator",
        "facilitator add|remove @person",
        "choose who runs this community (workspace admins always can)",
        FACILITATORS,
        run_facilitator,
        aliases=("facilitators",),
        action="change facilitators",
    ),
)
