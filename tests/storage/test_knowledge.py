"""Snippet status, endorsements and edits are derived from stored rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from storage import communities, db, knowledge, messages
from storage.clock import utcnow
from storage.knowledge import NewSnippet
from storage.models.knowledge import SOURCE_REACTION
from storage.search import search_snippets
from tests.storage.knowledge_helpers import TEAM, make_community


def _capture(community, ts: str = "1700000000.000100"):
    with db.session() as session:
        return knowledge.capture_snippet(
            session=session,
            community=community,
            new=NewSnippet(
                channel_id="C1",
                message_ts=ts,
                author_id="UBOB",
                curator_id="UALICE",
                text="Use ruff for linting #python #tooling",
                title="Use ruff",
                tags=["python", "tooling"],
                permalink="https://x/p1",
                source=SOURCE_REACTION,
                is_private=False,
            ),
        )


def _react(snippet, community, user: str, emoji: str = "bulb", add: bool = True, facilitators=()):
    with db.session() as session:
        if add:
            knowledge.add_endorsement(session=session, snippet=snippet, user_id=user, emoji=emoji)
        else:
            knowledge.remove_endorsement(
                session=session, snippet=snippet, user_id=user, emoji=emoji
            )
        return knowledge.refresh_snippet(
            session=session, snippet=snippet, community=community, facilitator_ids=facilitators
        )


def test_capture_is_idempotent(engine: Engine) -> None:
    guild = make_community()
    first, created = _capture(guild)
    again, created_again = _capture(guild)
    assert created and not created_again
    assert first.id == again.id


def test_reactions_confirm_and_their_removal_withdraws(engine: Engine) -> None:
    guild = make_community()
    snippet, _ = _capture(guild)
    assert _react(snippet, guild, "UALICE").status == "confirmed"
    assert _react(snippet, guild, "UALICE", "books").endorsements == 1  # same person, two emoji
    assert _react(snippet, guild, "UCAROL").endorsements == 2
    _react(snippet, guild, "UALICE", add=False)
    _react(snippet, guild, "UALICE", "books", add=False)
    assert snippet.endorsements == 1 and snippet.status == "confirmed"
    assert _react(snippet, guild, "UCAROL", add=False).status == "withdrawn"
    assert snippet.endorsements == 0
    assert _react(snippet, guild, "UCAROL", add=False).endorsements == 0  # never negative
    assert _react(snippet, guild, "UCAROL").status == "confirmed"  # re-added: back again


def test_a_threshold_keeps_snippets_pending(engine: Engine) -> None:
    guild = make_community()
    guild.reactions_required = 2
    snippet, _ = _capture(guild)
    assert _react(snippet, guild, "UALICE").status == "pending"
    assert _react(snippet, guild, "UALICE", "books").status == "pending"
    assert _react(snippet, guild, "UCAROL").status == "confirmed"
    assert _react(snippet, guild, "UCAROL", add=False).status == "pending"


def test_required_confirmation_comes_from_a_facilitator(engine: Engine) -> None:
    guild = make_community()
    guild.require_confirmation = True
    snippet, _ = _capture(guild)
    assert _react(snippet, guild, "UCAROL", facilitators={"UALICE"}).status == "pending"
    snippet = _react(snippet, guild, "UALICE", facilitators={"UALICE"})
    assert (snippet.status, snippet.confirmed_by) == ("confirmed", "UALICE")
    snippet = _react(snippet, guild, "UALICE", add=False, facilitators={"UALICE"})
    assert (snippet.status, snippet.confirmed_by) == ("pending", None)
    with db.session() as session:
        snippet = knowledge.confirm_snippet(
            session=session, snippet=snippet, community=guild, facilitator_id="UADMIN"
        )
    assert snippet.status == "confirmed"


def test_edits_reindex_and_deletes_withdraw(engine: Engine) -> None:
    guild = make_community()
    snippet, _ = _capture(guild)
    _react(snippet, guild, "UALICE")
    with db.session() as session:
        knowledge.update_snippet_text(
            session=session, snippet=snippet, text="Use uv to install", title="uv", tags=["uv"]
        )
        assert [
            s.id for s in search_snippets(session=session, team_id=TEAM, query="uv").snippets
        ] == [snippet.id]
        assert search_snippets(session=session, team_id=TEAM, query="ruff").snippets == []
        assert knowledge.tags_of(session=session, snippet=snippet) == ["uv"]
        knowledge.withdraw_snippet(session=session, snippet=snippet)
        assert search_snippets(session=session, team_id=TEAM, query="uv").snippets == []
        overview = communities.community_overview(session=session, community=guild)
        assert overview.knowledge_count == 0


def test_message_cache_purges_old_uncaptured_messages(engine: Engine) -> None:
    guild = make_community()
    snippet, _ = _capture(guild, ts="1000000000.000001")  # 2001: long gone
    with db.session() as session:
        for ts in ("1000000000.000001", "1000000000.000002"):
            messages.cache_message(
                session=session, team_id=TEAM, channel_id="C1", ts=ts, user_id="UBOB", text="old"
            )
        recent = f"{utcnow().timestamp():.6f}"
        messages.cache_message(
            session=session, team_id=TEAM, channel_id="C1", ts=recent, user_id="UBOB", text="new"
        )
        assert not messages.cache_message(
            session=session, team_id=TEAM, channel_id="C1", ts=recent, user_id="UBOB", text="dup"
        )
        assert messages.purge_messages(session=session, retention_days=30) == 1
        kept = messages.cached_message(
            session=session, team_id=TEAM, channel_id="C1", ts=snippet.message_ts
        )
        assert kept is not None  # captured: kept
        assert messages.cached_message(session=session, team_id=TEAM, channel_id="C1", ts=recent)
        later = utcnow() + timedelta(days=31)
        assert messages.purge_messages(session=session, retention_days=30, now=later) == 1
