"""/cop stats [weeks]: participation over time, as a table here and a chart in a DM."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.blocks.stats import QuestionRow, render_stats
from bot.errors import CopError
from bot.lookups import display_names
from handlers.commands.invocation import Invocation
from handlers.commands.registry import FACILITATORS, Subcommand
from scheduler.periods import week_bounds
from storage import db, questions
from storage.clock import utcnow
from storage.markup import visible
from storage.stats import SILENT_WEEKS, slipping_away, week_stats

DEFAULT_WEEKS, MAX_WEEKS = 8, 26


def run_stats(inv: Invocation) -> None:
    """Weekly figures and members slipping away; the chart is drawn after the ack."""
    words = inv.args.split()
    if words and not (words[0].isdigit() and 1 <= int(words[0]) <= MAX_WEEKS):
        raise CopError(f"Give a number of weeks from 1 to {MAX_WEEKS}, e.g. `/cop stats 12`.")
    count = int(words[0]) if words else DEFAULT_WEEKS
    now = utcnow()
    with db.session() as session:
        community = inv.home
        assert community.id is not None
        this_week, _ = week_bounds(community.timezone, now)
        first_week, _ = week_bounds(community.timezone, community.created_at)
        young = this_week - timedelta(weeks=count - 1) < first_week
        weeks, question_rows = [], []
        for back in range(count - 1, -1, -1):
            start = this_week - timedelta(weeks=back)
            if start < first_week:  # before the community began: nothing to show
                continue
            end = min(start + timedelta(weeks=1), now)
            # the week by its first day, as people say it ("Dec 7"), not its ISO number
            monday = start.astimezone(ZoneInfo(community.timezone))
            label = f"{monday:%b} {monday.day}"
            weeks.append(
                week_stats(session=session, community=community, label=label, start=start, end=end)
            )
            asked = questions.question_week(
                session=session, community_id=community.id, start=start, end=end
            )
            question_rows.append(
                QuestionRow(
                    label,
                    asked.asked,
                    asked.answered,
                    questions.median_wait(asked.waits),
                    questions.p90_wait(asked.waits),
                )
            )
        silent_from = this_week - timedelta(weeks=SILENT_WEEKS - 1)
        slipping = slipping_away(
            session=session,
            community=community,
            since=silent_from - timedelta(weeks=8),
            silent_from=silent_from,
        )
        answerers = questions.top_answerers(
            session=session,
            community_id=community.id,
            since=this_week - timedelta(weeks=count - 1),
        )
        names = display_names(
            inv.client,
            session,
            team_id=inv.team_id,
            user_ids=[*slipping, *(u for u, _ in answerers)],
        )
    inv.reply(
        render_stats(
            community_name=community.name,
            weeks=weeks,
            slipping=[names[u] for u in slipping],
            from_start=young,
            questions=question_rows,
            answerers=[f"{names[u]} ({n})" for u, n in answerers],
        )
    )
    from bot.charts import stats_chart  # matplotlib loads on the first /cop stats, not at start

    name = visible(community.name)  # a chart and a file title are plain text
    chart = stats_chart(weeks, title=f"{name}: weekly participation")
    dm = inv.client.conversations_open(users=inv.user_id)["channel"]["id"]
    inv.client.files_upload_v2(
        channel=dm,
        content=chart,
        filename="copbot-stats.png",
        title=f"{name}: participation, {_last(len(weeks))}",
    )


def _last(weeks: int) -> str:
    return "this week" if weeks == 1 else f"last {weeks} weeks"


SUBCOMMANDS = (
    Subcommand(
        "stats",
        "stats [weeks]",
        "participation over time (table here, chart in a DM), and who is slipping away",
        FACILITATORS,
        run_stats,
        action="see participation stats",
    ),
)
