"""/cop kudos and /cop top."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackClientError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.blocks.kudos import kudos_note, render_kudos_post, render_leaderboards
from bot.errors import CopError
from bot.inbox import REDONE_WITHIN
from bot.lookups import display_names, find_own_post, post_message, refused_by_slack
from handlers.commands.invocation import Invocation
from handlers.commands.registry import EVERYONE, MEMBERS, Subcommand
from handlers.shared.kudos import (
    check_receiver,
    day_start,
    over_quota_error,
    parse_kudos,
)
from scheduler.periods import days_ago
from storage import db, kudos
from storage.clock import utcnow
from storage.models.base import KUDOS_EVENT, PENDING_POST
from storage.models.kudos import KUDOS_COMMAND

log = logging.getLogger("copbot.kudos")

PERIODS = {"week": (7, "last 7 days"), "month": (30, "last 30 days"), "all": (None, "all time")}


def run_kudos(inv: Invocation) -> None:
    """Thank people publicly in the channel; each receiver's kudos is recorded.

    The kudos are recorded first (within the giver's quota, as one step), then announced:
    when Slack refuses the post they are taken back and the person is told nothing changed;
    when Slack's answer is lost they stay, and the person is told to look before trying again.
    """
    community = inv.home
    with db.session() as session:
        request = parse_kudos(inv.args, session=session, team_id=inv.team_id)
        names = [
            check_receiver(
                inv.client,
                session,
                team_id=inv.team_id,
                giver_id=inv.user_id,
                receiver_id=receiver,
                bot_user_id=inv.bot_user_id,
            )
            for receiver in request.receiver_ids
        ]
        wanted = len(request.receiver_ids)
        post = render_kudos_post(
            giver_id=inv.user_id,
            receiver_ids=request.receiver_ids,
            reason=request.reason,
            emoji=(community.kudos_emojis or ["raised_hands"])[0],
        )
        # the same placeholder in every handling of this command, so a second one (take_due,
        # after a crash mid-work) finds what the first recorded and posted
        pending = PENDING_POST + inv.token
        if inv.redone and _posted_before(session, inv, pending, names):
            return
        given = kudos.give_within_quota(
            session=session,
            community=community,
            giver_id=inv.user_id,
            receiver_ids=request.receiver_ids,
            reason=request.reason,
            source=KUDOS_COMMAND,
            channel_id=inv.channel_id,
            message_ts=pending,
            since=day_start(community),
        )
        if given.refused:
            raise over_quota_error(community, given.left, wanted)
        try:
            metadata = {"event_type": KUDOS_EVENT, "event_payload": {"pending": pending}}
            message = post_message(
                inv.client, inv.channel_id, metadata=metadata, **post.as_kwargs()
            )
            ts = str(message["ts"])
        except (SlackClientError, OSError) as exc:
            if refused_by_slack(exc):
                _take_back(session, inv, pending)
                raise
            log.warning("kudos post in %s unconfirmed: %s", inv.channel_id, type(exc).__name__)
            inv.reply_text(UNCONFIRMED)
            return
        except CopError:
            _take_back(session, inv, pending)
            raise
        quota = community.kudos_daily_quota
        try:
            kudos.move_kudos(
                session=session,
                team_id=inv.team_id,
                channel_id=inv.channel_id,
                from_ts=pending,
                to_ts=ts,
            )
        except SQLAlchemyError as exc:  # posted and recorded: only the link to the post is lost
            log.warning(
                "kudos posted as %s in %s, not pointed at it: %s",
                ts,
                inv.channel_id,
                type(exc).__name__,
            )
    inv.reply_text(kudos_note(receiver_names=names, left=given.left, quota=quota))


UNCONFIRMED = (
    "Your kudos are recorded, but Slack didn't confirm the post in the channel. "
    "Look there before thanking again: it may have arrived."
)


def _posted_before(session: Session, inv: Invocation, pending: str, names: list[str]) -> bool:
    """Whether an earlier handling of this command posted its thanks (then they point at the
    post and the giver hears so), for a handling after one that was dropped mid-work."""
    found = find_own_post(
        inv.client,
        inv.channel_id,
        since=utcnow() - REDONE_WITHIN,
        event_type=KUDOS_EVENT,
        payload={"pending": pending},
    )
    if found is None:
        return False
    kudos.move_kudos(
        session=session,
        team_id=inv.team_id,
        channel_id=inv.channel_id,
        from_ts=pending,
        to_ts=str(found["ts"]),
    )
    community = inv.home
    assert community.id is not None
    quota = community.kudos_daily_quota
    used = kudos.given_since(
        session=session, community_id=community.id, giver_id=inv.user_id, since=day_start(community)
    )
    inv.reply_text(kudos_note(receiver_names=names, left=max(0, quota - used), quota=quota))
    return True


def _take_back(session: Session, inv: Invocation, pending: str) -> None:
    kudos.withdraw_kudos(
        session=session,
        team_id=inv.team_id,
        source=KUDOS_COMMAND,
        channel_id=inv.channel_id,
        message_ts=pending,
        giver_id=inv.user_id,
    )


def run_top(inv: Invocation) -> None:
    """Leaderboards of kudos received and knowledge shared, by name."""
    choice = (inv.args.split() or ["week"])[0].lower()
    if choice not in PERIODS:
        raise CopError("Pick a period: `/cop top week`, `/cop top month` or `/cop top all`.")
    days, label = PERIODS[choice]
    with db.session() as session:
        community = inv.home
        assert community.id is not None
        since = days_ago(utcnow(), days) if days else None
        boards = kudos.leaderboards(session=session, community_id=community.id, since=since)
        people = [u for u, _ in boards.kudos_received + boards.knowledge_shared]
        names = display_names(inv.client, session, team_id=inv.team_id, user_ids=people)
    inv.reply(
        render_leaderboards(
            community_name=community.name,
            period=label,
            kudos=[(names[u], n) for u, n in boards.kudos_received],
            knowledge=[(names[u], n) for u, n in boards.knowledge_shared],
        )
    )


SUBCOMMANDS = (
    Subcommand(
        "kudos",
        "kudos @person [@person …] <reason>",
        "thank people publicly; they are notified and it's recorded",
        MEMBERS,
        run_kudos,
        aliases=("thanks", "thank"),
    ),
    Subcommand(
        "top",
        "top [week|month|all]",
        "leaderboards: kudos received and knowledge shared",
        EVERYONE,
        run_top,
        aliases=("leaderboard",),
        in_community=True,
    ),
)
