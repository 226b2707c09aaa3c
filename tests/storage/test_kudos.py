"""Kudos storage: idempotent thanks, quotas, leaderboards and the weekly figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy.engine import Engine
from sqlmodel import select

from scheduler.kinds import default_slots
from storage import communities, db, knowledge, kudos, messages
from storage.clock import utcnow
from storage.knowledge import NewSnippet, capture_snippet
from storage.models import Community, CommunityChannel, Kudos
from storage.models.knowledge import SOURCE_COMMAND, SOURCE_REACTION
from tests.storage.knowledge_helpers import add_snippet, make_community, received

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # 2026-W48 runs from here to the next Monday
NEXT_MONDAY = MONDAY + timedelta(days=7)
DAY = timedelta(days=1)
TICK = timedelta(microseconds=1)
NO_QUOTA = datetime(2999, 1, 1, tzinfo=UTC)  # nothing is counted after it: the quota never binds
_ts = count(1)


def _thank(
    community,
    giver: str,
    receiver: str,
    ts: str = "1.1",
    source: str = "reaction",
    *,
    channel: str = "C1",
    reason: str = "https://x/p1",
    at: datetime | None = None,
) -> bool:
    """Thanks as the handlers record it (the quota aside: its tests are below); `at` moves it
    to another moment (time travel)."""
    with db.session() as session:
        added = (
            kudos.give_within_quota(
                session=session,
                community=community,
                giver_id=giver,
                receiver_ids=[receiver],
                reason=reason,
                source=source,
                channel_id=channel,
                message_ts=ts,
                since=NO_QUOTA,
            ).added
            != []
        )
        if at is not None:
            row = session.exec(
                select(Kudos).where(
                    Kudos.team_id == community.team_id,
                    Kudos.source == source,
                    Kudos.channel_id == channel,
                    Kudos.message_ts == ts,
                    Kudos.giver_id == giver,
                    Kudos.receiver_id == receiver,
                )
            ).one()
            row.created_at = at
            session.add(row)
            session.commit()
        return added


def _share(
    community,
    author: str,
    *,
    curator: str | None = None,
    channel: str = "C1",
    at: datetime | None = None,
    status: str = "confirmed",
) -> None:
    """Knowledge by `author`, saved by `curator` (the author by default), captured (and,
    unless pending, confirmed) at `at`.

    status "pending": saved by one reaction where the community wants two;
    "withdrawn": confirmed, then its message was deleted.
    """
    curator = curator or author
    rule = _with_rule(community, reactions_required=2) if status == "pending" else community
    with db.session() as session:
        snippet, _ = capture_snippet(
            session=session,
            community=community,
            new=NewSnippet(
                channel_id=channel,
                message_ts=f"1800000000.{next(_ts):06d}",
                author_id=author,
                curator_id=curator,
                text="Use pytest fixtures",
                title="",
                tags=[],
                permalink="",
                source=SOURCE_REACTION if status == "pending" else SOURCE_COMMAND,
                is_private=False,
            ),
        )
        knowledge.add_endorsement(session=session, snippet=snippet, user_id=curator, emoji="bulb")
        snippet = knowledge.refresh_snippet(session=session, snippet=snippet, community=rule)
        if status == "withdrawn":
            snippet = knowledge.withdraw_snippet(session=session, snippet=snippet)
        assert snippet.status == status
        if at is not None:
            snippet.created_at = at
            if snippet.confirmed_at is not None:  # knowledge counts from its confirmation
                snippet.confirmed_at = at
            session.add(snippet)
            session.commit()


def _with_rule(community: Community, **rule: int) -> Community:
    """The same community with other capture rules, not saved."""
    return Community.model_validate({**community.model_dump(), **rule})


def _community_in(team: str, name: str, channel: str) -> Community:
    with db.session() as session:
        return communities.create_community(
            session=session,
            team_id=team,
            name=name,
            domain="",
            channel_id=channel,
            channel_name=name.lower().replace(" ", "-"),
            is_private=False,
            created_by="UALICE",
            timezone="UTC",
            slots=default_slots(),
        )


def test_the_same_thanks_is_recorded_once_and_can_be_withdrawn(engine: Engine) -> None:
    guild = make_community()
    assert _thank(guild, "UA", "UB")
    assert not _thank(guild, "UA", "UB")
    assert _thank(guild, "UC", "UB")
    with db.session() as session:
        assert received(guild.id, "UB") == 2
        assert (
            kudos.withdraw_kudos(
                session=session,
                team_id=guild.team_id,
                source="reaction",
                channel_id="C1",
                message_ts="1.1",
                giver_id="UA",
            )
            == 1
        )
        assert received(guild.id, "UB") == 1


def test_quota_counts_what_a_giver_gave_since_a_moment(engine: Engine) -> None:
    guild = make_community()
    for i in range(3):
        _thank(guild, "UA", "UB", ts=f"1.{i}")
    with db.session() as session:
        since = utcnow() - timedelta(minutes=1)
        assert (
            kudos.given_since(session=session, community_id=guild.id, giver_id="UA", since=since)
            == 3
        )
        later = utcnow() + timedelta(minutes=1)
        assert (
            kudos.given_since(session=session, community_id=guild.id, giver_id="UA", since=later)
            == 0
        )


def test_leaderboards_rank_receivers_and_contributors(engine: Engine) -> None:
    guild = make_community()
    for i, receiver in enumerate(["UB", "UB", "UC", "UB", "UC", "UD"]):
        _thank(guild, "UA", receiver, ts=f"2.{i}")
    add_snippet(guild, "one", author="UC")
    add_snippet(guild, "two", author="UC")
    add_snippet(guild, "three", author="UB")
    with db.session() as session:
        boards = kudos.leaderboards(session=session, community_id=guild.id, since=None)
        recent = kudos.leaderboards(
            session=session, community_id=guild.id, since=utcnow() + timedelta(minutes=1)
        )
    assert boards.kudos_received == [("UB", 3), ("UC", 2), ("UD", 1)]
    assert boards.knowledge_shared == [("UC", 2), ("UB", 1)]
    assert recent.kudos_received == [] and recent.knowledge_shared == []


def test_the_weekly_figures_credit_knowledge_without_inventing_kudos(engine: Engine) -> None:
    guild = make_community()
    start = utcnow() - timedelta(minutes=1)
    _thank(guild, "UA", "UB", ts="3.1")
    _thank(guild, "UA", "UC", ts="3.2")
    add_snippet(guild, "mine, saved by me", author="UB")
    with db.session() as session:
        snippet, _ = capture_snippet(
            session=session,
            community=guild,
            new=NewSnippet("C1", "9.9", "UD", "UE", "curated", "", [], "", "command", False),
        )
        knowledge.add_endorsement(session=session, snippet=snippet, user_id="UE", emoji="")
        knowledge.refresh_snippet(session=session, snippet=snippet, community=guild)
        week = kudos.kudos_week(
            session=session, community_id=guild.id, start=start, end=utcnow() + timedelta(minutes=1)
        )
    assert [(k.giver_id, k.receiver_id) for k in week.kudos] == [("UA", "UB"), ("UA", "UC")]
    assert week.top_receivers == [("UB", 1), ("UC", 1)]
    assert week.first_time_receivers == ["UB", "UC"]
    assert week.shared_knowledge == [("UB", 1), ("UD", 1)]
    assert week.curated_knowledge == [("UE", 1)]
    with db.session() as session:
        later = kudos.kudos_week(
            session=session,
            community_id=guild.id,
            start=utcnow() + timedelta(minutes=1),
            end=utcnow() + timedelta(days=7),
        )
    assert later.kudos == [] and later.first_time_receivers == []


def test_one_persons_kudos_never_use_up_anothers_quota(engine: Engine) -> None:
    guild, rust = make_community(), make_community("Rust Guild", channel="C2")
    for i in range(3):
        _thank(guild, "UA", "UB", ts=f"1.{i}")
    _thank(guild, "UC", "UB", ts="1.0")
    _thank(rust, "UA", "UB", ts="2.0", channel="C2")
    since = utcnow() - timedelta(minutes=1)
    with db.session() as session:
        given = {
            (c.name, giver): kudos.given_since(
                session=session, community_id=c.id, giver_id=giver, since=since
            )
            for c in (guild, rust)
            for giver in ("UA", "UC", "UD")
        }
    assert given == {
        ("Python Guild", "UA"): 3,
        ("Python Guild", "UC"): 1,
        ("Python Guild", "UD"): 0,
        ("Rust Guild", "UA"): 1,
        ("Rust Guild", "UC"): 0,
        ("Rust Guild", "UD"): 0,
    }


def test_the_quota_day_includes_its_first_moment(engine: Engine) -> None:
    guild = make_community()
    midnight = MONDAY + 3 * DAY
    _thank(guild, "UA", "UB", ts="1.1", at=midnight - TICK)  # the evening before
    _thank(guild, "UA", "UC", ts="1.2", at=midnight)
    _thank(guild, "UA", "UD", ts="1.3", at=midnight + 23 * timedelta(hours=1))
    with db.session() as session:
        assert (
            kudos.given_since(session=session, community_id=guild.id, giver_id="UA", since=midnight)
            == 2
        )


def test_withdrawing_a_reaction_takes_back_only_that_thanks(engine: Engine) -> None:
    guild = make_community()
    # a channel shared with another workspace has the same id there
    elsewhere = _community_in("T0002", "Python Guild", channel="C1")
    _thank(guild, "UA", "UB", ts="1.1")  # the reaction taken back
    _thank(guild, "UA", "UB", ts="1.1", channel="C2")  # same ts in another channel
    _thank(guild, "UA", "UB", ts="1.1", source="command")  # same message, by /cop kudos
    _thank(guild, "UC", "UB", ts="1.1")  # someone else's reaction on it
    _thank(elsewhere, "UA", "UB", ts="1.1")  # the same reaction in the other workspace
    with db.session() as session:
        withdrawn = kudos.withdraw_kudos(
            session=session,
            team_id=guild.team_id,
            source="reaction",
            channel_id="C1",
            message_ts="1.1",
            giver_id="UA",
        )
        left = [received(c.id, "UB") for c in (guild, elsewhere)]
    assert withdrawn == 1
    assert left == [3, 1]


def test_counts_stay_inside_their_community(engine: Engine) -> None:
    guild, rust = make_community(), make_community("Rust Guild", channel="C2")
    _thank(rust, "UA", "UB", ts="1.1", channel="C2", at=MONDAY - 3 * DAY)
    _thank(rust, "UA", "UC", ts="1.2", channel="C2", at=MONDAY + DAY)
    _thank(guild, "UA", "UB", ts="2.1", at=MONDAY + 2 * DAY)
    _share(rust, "UC", channel="C2", at=MONDAY + DAY)
    _share(guild, "UB", at=MONDAY + DAY)
    with db.session() as session:
        counts = [received(c.id, receiver) for c in (guild, rust) for receiver in ("UB", "UC")]
        boards = kudos.leaderboards(session=session, community_id=guild.id, since=None)
        week = kudos.kudos_week(
            session=session, community_id=guild.id, start=MONDAY, end=NEXT_MONDAY
        )
    assert counts == [1, 0, 1, 1]
    assert boards.kudos_received == [("UB", 1)]
    assert boards.knowledge_shared == [("UB", 1)]
    assert [(k.giver_id, k.receiver_id) for k in week.kudos] == [("UA", "UB")]
    # thanked in another community before, but never here
    assert week.first_time_receivers == ["UB"]
    assert week.shared_knowledge == [("UB", 1)]


def test_the_week_runs_from_its_first_moment_up_to_the_next_week(engine: Engine) -> None:
    guild = make_community()
    _thank(guild, "UA", "UB", ts="1.0", at=MONDAY - DAY)  # last week: not a first time
    _thank(guild, "UA", "UB", ts="1.1", at=MONDAY + 2 * DAY)
    _thank(guild, "UA", "UD", ts="1.2", at=NEXT_MONDAY - TICK)
    _thank(guild, "UA", "UC", ts="1.3", at=MONDAY)
    _thank(guild, "UA", "UE", ts="1.4", at=NEXT_MONDAY)  # next week's
    _thank(guild, "UA", "UF", ts="1.5", at=NEXT_MONDAY + DAY)
    _share(guild, "UB", at=MONDAY)
    _share(guild, "UC", curator="UE", at=NEXT_MONDAY - TICK)
    _share(guild, "UD", at=MONDAY - TICK)
    _share(guild, "UD", at=NEXT_MONDAY)
    _share(guild, "UF", at=NEXT_MONDAY + DAY)
    _share(guild, "UG", at=MONDAY + DAY, status="pending")
    _share(guild, "UH", curator="UI", at=MONDAY + DAY, status="withdrawn")
    with db.session() as session:
        week = kudos.kudos_week(
            session=session, community_id=guild.id, start=MONDAY, end=NEXT_MONDAY
        )
    # in the order they were given
    assert [k.receiver_id for k in week.kudos] == ["UC", "UB", "UD"]
    assert week.top_receivers == [("UB", 1), ("UC", 1), ("UD", 1)]
    assert week.first_time_receivers == ["UC", "UD"]
    assert week.shared_knowledge == [("UB", 1), ("UC", 1)]
    assert week.curated_knowledge == [("UE", 1)]


def test_the_weekly_summary_names_the_top_five(engine: Engine) -> None:
    guild = make_community()
    during = MONDAY + DAY
    # given in an order that is not the order of the names
    for i, receiver in enumerate(["UZ", "UY", "UX", "UW", "UV", "UU", "UW"]):
        _thank(guild, "UA", receiver, ts=f"1.{i}", at=during + i * TICK)
    for author, curator in zip(["UF", "UE", "UD", "UC", "UB", "UA"], "987654", strict=True):
        _share(guild, author, curator=f"UCUR{curator}", at=during)
    with db.session() as session:
        week = kudos.kudos_week(
            session=session, community_id=guild.id, start=MONDAY, end=NEXT_MONDAY
        )
    assert len(week.kudos) == 7
    # ties in a fixed order, whatever order the thanks came in
    assert week.top_receivers == [("UW", 2), ("UU", 1), ("UV", 1), ("UX", 1), ("UY", 1)]
    assert week.shared_knowledge == [(u, 1) for u in ["UA", "UB", "UC", "UD", "UE"]]
    assert week.curated_knowledge == [(f"UCUR{n}", 1) for n in "45678"]


def test_leaderboards_count_confirmed_knowledge_from_their_first_moment(engine: Engine) -> None:
    guild = make_community()
    since = MONDAY
    _thank(guild, "UA", "UB", ts="1.1", at=since)
    _thank(guild, "UA", "UC", ts="1.2", at=since - TICK)
    _share(guild, "UB", at=since)
    _share(guild, "UC", at=since - TICK)
    _share(guild, "UD", at=since + DAY, status="pending")
    _share(guild, "UE", at=since + DAY, status="withdrawn")
    with db.session() as session:
        recent = kudos.leaderboards(session=session, community_id=guild.id, since=since)
        ever = kudos.leaderboards(session=session, community_id=guild.id, since=None)
    assert recent.kudos_received == [("UB", 1)]
    assert recent.knowledge_shared == [("UB", 1)]
    assert ever.kudos_received == [("UB", 1), ("UC", 1)]
    assert ever.knowledge_shared == [("UB", 1), ("UC", 1)]


def test_leaderboards_show_the_top_ten(engine: Engine) -> None:
    guild = make_community()
    people = [f"U{n:02d}" for n in range(11)]
    for person in people:
        _thank(guild, "UA", person, ts=f"1.{person}")
        _share(guild, person)
    _thank(guild, "UB", "U10", ts="1.U10")  # U10 is thanked twice, so first
    with db.session() as session:
        boards = kudos.leaderboards(session=session, community_id=guild.id, since=None)
    assert boards.kudos_received == [("U10", 2)] + [(p, 1) for p in people[:9]]
    assert boards.knowledge_shared == [(p, 1) for p in people[:10]]


def test_the_latest_kudos_received_this_month_come_newest_first(engine: Engine) -> None:
    guild, rust = make_community(), make_community("Rust Guild", channel="C2")
    elsewhere = _community_in("T0002", "Python Guild", channel="C1")
    month = datetime(2026, 11, 1, tzinfo=UTC)
    _thank(guild, "UA", "UB", ts="1.0", at=month - TICK)  # last month
    _thank(guild, "UC", "UB", ts="1.1", at=month)
    _thank(rust, "UD", "UB", ts="1.2", channel="C2", at=month + DAY)  # another community
    _thank(guild, "UE", "UB", ts="1.3", at=month + 2 * DAY)
    _thank(guild, "UF", "UB", ts="1.4", at=month + 3 * DAY)
    _thank(elsewhere, "UG", "UB", ts="1.5", at=month + 4 * DAY)  # another workspace
    with db.session() as session:
        total, latest = kudos.received_since(
            session=session, team_id=guild.team_id, receiver_id="UB", since=month, limit=3
        )
    assert total == 4
    assert [k.giver_id for k in latest] == ["UF", "UE", "UD"]


def test_a_reason_is_kept_without_nul_characters(engine: Engine) -> None:
    guild = make_community()
    _thank(guild, "UA", "UB", reason="Thanks for the \x00fix!", source="command")
    with db.session() as session:
        _, latest = kudos.received_since(
            session=session, team_id=guild.team_id, receiver_id="UB", since=utcnow() - DAY
        )
    assert [k.reason for k in latest] == ["Thanks for the fix!"]


def test_messages_thanked_by_reaction_are_quoted_only_where_they_may_be_read(
    engine: Engine,
) -> None:
    guild = make_community()  # its home channel, C1, is public
    with db.session() as session:
        session.add(  # a second channel of the guild, private
            CommunityChannel(
                team_id=guild.team_id,
                community_id=guild.id or 0,
                channel_id="C2",
                channel_name="inner-circle",
                is_private=True,
                added_by="UALICE",
                added_at=utcnow(),
            )
        )
        session.commit()
        for channel, ts, text in (("C1", "1.1", "Public tip"), ("C2", "2.2", "Secret tip")):
            messages.cache_message(
                session=session,
                team_id=guild.team_id,
                channel_id=channel,
                ts=ts,
                user_id="UB",
                text=text,
            )
    _thank(guild, "UA", "UB", ts="1.1", channel="C1")
    _thank(guild, "UA", "UB", ts="2.2", channel="C2")
    _thank(guild, "UC", "UB", ts="3.3", channel="C1")  # a message copbot never saw
    _thank(guild, "UA", "UB", ts="", source="command", reason="for the help")

    def quoted(shown_in: str) -> list[str]:
        with db.session() as session:
            week = kudos.kudos_week(
                session=session,
                community_id=guild.id or 0,
                start=utcnow() - DAY,
                end=utcnow() + DAY,
                shown_in=shown_in,
            )
        return sorted(week.quotes.values())

    assert quoted("C1") == ["Public tip"]  # the private channel's message stays there
    assert quoted("C2") == ["Public tip", "Secret tip"]
