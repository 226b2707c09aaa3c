"""New knowledge is what became confirmed in a period: one definition (storage/stats.py
`confirmed_in`) for the digest, its trend line and first-time contributors, /cop stats,
/cop top and the kudos summary's knowledge credits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from storage import communities, db, knowledge, kudos
from storage.clock import utcnow
from storage.digest import digest_data
from storage.knowledge import NewSnippet
from storage.models import Community, Snippet
from storage.models.knowledge import SOURCE_REACTION
from storage.stats import week_counts, week_stats
from tests.storage.knowledge_helpers import make_community

WEEK = timedelta(weeks=1)


def _strict_guild() -> Community:
    guild = make_community()
    with db.session() as session:
        return communities.update_settings(
            session=session, community=guild, require_confirmation=True
        )


def _captured(community: Community, ts: str, author: str = "UBOB") -> Snippet:
    """`author`'s message, kept by Carol's reaction: pending until a facilitator confirms."""
    with db.session() as session:
        snippet, _ = knowledge.capture_snippet(
            session=session,
            community=community,
            new=NewSnippet(
                channel_id="C1",
                message_ts=ts,
                author_id=author,
                curator_id="UCAROL",
                text=f"tip {ts}",
                title=f"tip {ts}",
                tags=[],
                permalink="https://x/p1",
                source=SOURCE_REACTION,
                is_private=False,
            ),
        )
        knowledge.add_endorsement(session=session, snippet=snippet, user_id="UCAROL", emoji="bulb")
        return knowledge.refresh_snippet(session=session, snippet=snippet, community=community)


def _confirm(community: Community, snippet: Snippet) -> Snippet:
    with db.session() as session:
        return knowledge.confirm_snippet(
            session=session, snippet=snippet, community=community, facilitator_id="UALICE"
        )


def _week(community: Community, start: datetime):
    with db.session() as session:
        data = digest_data(
            session=session,
            community=community,
            start=start,
            end=start + WEEK,
            previous_start=start - WEEK,
            shown_in="C1",
        )
        stats = week_stats(
            session=session, community=community, label="W", start=start, end=start + WEEK
        )
        credits = kudos.kudos_week(
            session=session, community_id=community.id or 0, start=start, end=start + WEEK
        )
        top = kudos.leaderboards(session=session, community_id=community.id or 0, since=start)
        return data, stats, credits, top


def test_a_snippet_confirmed_a_week_after_capture_is_that_weeks_new_knowledge(
    engine: Engine, clock: Callable[[timedelta], None]
) -> None:
    guild = _strict_guild()
    first_week = utcnow() - timedelta(hours=1)
    tip = _captured(guild, "1.1")
    assert tip.status == "pending"
    clock(WEEK + timedelta(days=1))
    tip = _confirm(guild, tip)
    assert tip.confirmed_at is not None and tip.confirmed_at - tip.created_at > WEEK

    data, stats, credits, top = _week(guild, first_week)
    assert (data.new_snippets, data.this_week.snippets, stats.snippets, stats.first_time) == (
        0,
        0,
        0,
        0,
    )
    assert (credits.shared_knowledge, data.first_time_contributors) == ([], [])

    data, stats, credits, top = _week(guild, first_week + WEEK)
    assert data.new_snippets == 1 and [s.id for s in data.top_snippets] == [tip.id]
    assert (data.this_week.snippets, data.last_week.snippets) == (1, 0)
    assert data.first_time_contributors == ["UBOB"]
    assert (stats.snippets, stats.first_time) == (1, 1)
    assert credits.shared_knowledge == [("UBOB", 1)]
    assert credits.curated_knowledge == [("UCAROL", 1)]
    assert top.knowledge_shared == [("UBOB", 1)]
    with db.session() as session:
        counts = week_counts(
            session=session, community=guild, start=first_week + WEEK, end=first_week + 2 * WEEK
        )
    assert counts.snippets == 1


def test_a_first_contribution_is_the_first_confirmed_not_the_first_captured(
    engine: Engine, clock: Callable[[timedelta], None]
) -> None:
    guild = _strict_guild()
    start = utcnow() - timedelta(hours=1)
    old = _captured(guild, "1.1")  # captured in week one, confirmed in week three
    clock(WEEK)
    newer = _confirm(guild, _captured(guild, "1.2"))  # captured and confirmed in week two
    clock(2 * WEEK)
    _confirm(guild, old)
    data, stats, _, _ = _week(guild, start + WEEK)
    assert [s.id for s in data.top_snippets] == [newer.id]
    assert (data.first_time_contributors, stats.first_time) == (["UBOB"], 1)
    data, stats, credits, _ = _week(guild, start + 2 * WEEK)
    assert data.new_snippets == 1 and credits.shared_knowledge == [("UBOB", 1)]
    assert (data.first_time_contributors, stats.first_time) == ([], 0)
