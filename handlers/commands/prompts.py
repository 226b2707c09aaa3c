"""/cop prompt add|list|remove|now: the community's bank of discussion prompts."""

from __future__ import annotations

from sqlmodel import Session

from bot.blocks.kit import Message, section
from bot.errors import CopError
from bot.lookups import named
from bot.mrkdwn import truncate
from bot.text import ordinal
from handlers.commands.common import posted_reply
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from handlers.shared.forms import small_number
from scheduler import posts
from scheduler.kinds import PROMPT
from scheduler.periods import period_key
from storage import db, prompts, schedule
from storage.clock import utcnow
from storage.markup import to_mrkdwn, visible
from storage.models import Community
from storage.prompts import MAX_PROMPT_LENGTH

USAGE = (
    "Try `/cop prompt add What tool saved you time this week?`, `/cop prompt list`, "
    "`/cop prompt remove 12` or `/cop prompt now`."
)
LIST_LIMIT = 40


def _list(inv: Invocation, community_id: int) -> Message:
    with db.session() as session:
        bank = prompts.list_prompts(session=session, community_id=community_id)
        texts = [named(inv.client, session, team_id=inv.team_id, text=p.text) for p in bank]
    if not bank:
        text = "The prompt bank is empty. Add one with `/cop prompt add &lt;question&gt;`."
        return Message(text=text, blocks=[section(text)])
    lines = []
    for i, prompt in enumerate(bank[:LIST_LIMIT]):
        mark = ":arrow_right: " if i == 0 else ""
        kind = "" if prompt.is_default else " _(added here)_"  # the few a community wrote
        used = f" · used {prompt.times_used}×" if prompt.times_used else ""
        shown = truncate(to_mrkdwn(texts[i]), 150)
        lines.append(f"{mark}`{prompt.number}` {shown}{kind}{used}")
    if len(bank) > LIST_LIMIT:
        lines.append(f"…and {len(bank) - LIST_LIMIT} more")
    header = (
        f"*{len(bank)} prompts*, in the order they will be posted (the arrow is next; the "
        "number is what `/cop prompt remove` takes):"
    )
    blocks = [section(header)]
    for start in range(0, len(lines), 15):
        blocks.append(section("\n".join(lines[start : start + 15])))
    return Message(text=f"{len(bank)} prompts in the bank", blocks=blocks)


def run_prompt(inv: Invocation) -> None:
    """Manage the prompt bank, or post the next prompt now."""
    action, _, rest = inv.args.partition(" ")
    action, rest = action.lower(), rest.strip()
    with db.session() as session:
        community = inv.home
        assert community.id is not None
        if action == "add":
            if len(visible(rest)) < 5:
                raise CopError(f"Write the question after `add`. {USAGE}")
            if len(visible(rest)) > MAX_PROMPT_LENGTH:
                raise CopError(f"Keep a prompt under {MAX_PROMPT_LENGTH} characters.")
            added = prompts.add_prompt(
                session=session, community=community, text=rest, created_by=inv.user_id
            )
            position = prompts.position_of(session=session, prompt=added)
            inv.reply_text(
                f"Added prompt `{added.number}`: it is {ordinal(position)} in line to be posted "
                "(prompts added here go before the built-in ones)."
            )
        elif action == "list":
            inv.reply(_list(inv, community.id))
        elif action == "remove":
            number = small_number(rest, most=10**9)
            if number is None:
                raise CopError("Which one? `/cop prompt list` shows each prompt's number.")
            removed = prompts.remove_prompt(
                session=session, community_id=community.id, number=number
            )
            if removed is None:
                raise CopError(f"There is no prompt `{rest[:10]}` here; see `/cop prompt list`.")
            inv.reply_text(f"Removed prompt `{rest}`: {truncate(to_mrkdwn(removed.text), 200)}")
        elif action == "now":
            inv.reply_text(_post_now(inv, session, community))
        else:
            raise CopError(USAGE)


def _post_now(inv: Invocation, session: Session, community: Community) -> str:
    """Post the next prompt now: this week's, if it has not gone out (the scheduled one then
    won't repeat it), else an extra one with a ledger row of its own so replies count. The
    same command handled again (Slack's retry, a restart) posts nothing more."""
    assert community.id is not None
    now = utcnow()
    week = period_key(now, community.timezone)
    mine = f"/cop prompt now by {inv.user_id} ({inv.token[:12]})"
    for period in (week, f"{week}+{inv.token[:12]}"):
        attempt = posts.claim_and_post(
            inv.client,
            session,
            community=community,
            kind=PROMPT,
            period=period,
            scheduled_for=now,
            now=now,
            claimed_by=mine,
        )
        if attempt.outcome == posts.POSTED or (
            attempt.outcome == posts.TAKEN and _claimed_by(session, community.id, period) == mine
        ):
            if period == week:
                return "Posted: it is this week's prompt, so the scheduled one won't repeat it."
            return "Posted an extra prompt: this week's had already gone out."
        if attempt.outcome != posts.TAKEN:
            break
    return posted_reply(attempt, "the prompt")


def _claimed_by(session: Session, community_id: int, period: str) -> str:
    taken = schedule.get_post(
        session=session, community_id=community_id, kind=PROMPT.name, period=period
    )
    return taken.claimed_by if taken is not None else ""


SUBCOMMANDS = (
    Subcommand(
        "prompt",
        "prompt add <text> | list | remove <id> | now",
        "manage the weekly discussion prompts, or post the next one now",
        FACILITATORS,
        run_prompt,
        aliases=("prompts",),
        action="manage prompts",
    ),
)
