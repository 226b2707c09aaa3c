"""forget_user: a person's words go from other people's threads by user id, not by name."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage import db, knowledge
from storage.forget import forget_user
from storage.knowledge import NewSnippet
from storage.models import SnippetReply
from storage.models.knowledge import SOURCE_REACTION
from storage.search import search_snippets
from storage.search.engines import engine_of
from storage.threads import Reply, compose_thread
from tests.storage.knowledge_helpers import TEAM, add_snippet, make_community

ROOT = "How do we rotate keys? #security"
REPLIES = (
    Reply("1700000000.000200", "UBOB", "Bob Builder", "with vault, every 90 days #vault"),
    Reply("1700000000.000300", "UBOB2", "Bob Builder", "kms does it for us"),
    Reply("1700000000.000400", "UBOB", "Bob Builder", "and audit the old ones"),
)


def _thread(community, replies=REPLIES, ts: str = "1700000000.000100"):
    text = compose_thread(ROOT, replies)
    with db.session() as session:
        snippet, _ = knowledge.capture_snippet(
            session=session,
            community=community,
            new=NewSnippet(
                channel_id="C1",
                message_ts=ts,
                author_id="UALICE",
                curator_id="UALICE",
                text=text,
                title="How do we rotate keys?",
                tags=["security", "vault"],
                permalink="https://x/p1",
                source=SOURCE_REACTION,
                is_private=False,
                replies=replies,
            ),
        )
        knowledge.add_endorsement(session=session, snippet=snippet, user_id="UALICE", emoji="bulb")
        return knowledge.refresh_snippet(session=session, snippet=snippet, community=community)


def test_capture_keeps_who_wrote_each_line(engine: Engine) -> None:
    snippet = _thread(make_community())
    with db.session() as session:
        assert knowledge.replies_of(session=session, snippet=snippet) == list(REPLIES)


def test_a_thread_text_that_does_not_end_with_its_lines_is_refused(engine: Engine) -> None:
    guild = make_community()
    with db.session() as session, pytest.raises(ValueError):
        knowledge.capture_snippet(
            session=session,
            community=guild,
            new=NewSnippet(
                channel_id="C1",
                message_ts="1.1",
                author_id="UALICE",
                curator_id="UALICE",
                text=ROOT,
                title="",
                tags=[],
                permalink="",
                source=SOURCE_REACTION,
                is_private=False,
                replies=REPLIES[:1],
            ),
        )


def test_forgetting_takes_every_line_of_theirs_out_and_only_theirs(engine: Engine) -> None:
    snippet = _thread(make_community())
    with db.session() as session:
        gone = forget_user(session=session, team_id=TEAM, user_id="UBOB")
        after = knowledge.get_snippet(
            session=session, team_id=TEAM, channel_id="C1", message_ts=snippet.message_ts
        )
        assert after is not None
        assert gone.replies == 2
        assert after.text == (
            f"{ROOT}\n\n— (removed)\n— Bob Builder: kms does it for us\n— (removed)"
        )
        assert knowledge.tags_of(session=session, snippet=after) == ["security"]
        lines = knowledge.replies_of(session=session, snippet=after)
        assert [(r.ts, r.user_id, r.removed) for r in lines] == [
            ("1700000000.000200", "", True),
            ("1700000000.000300", "UBOB2", False),
            ("1700000000.000400", "", True),
        ]
        assert not session.exec(select(SnippetReply).where(SnippetReply.user_id == "UBOB")).all()
        assert search_snippets(session=session, team_id=TEAM, query="audit").snippets == []
        assert len(search_snippets(session=session, team_id=TEAM, query="kms").snippets) == 1
        # the other Bob Builder asks too: nothing of either is left, the question stays
        assert forget_user(session=session, team_id=TEAM, user_id="UBOB2").replies == 1
        assert knowledge.tags_of(session=session, snippet=after) == ["security"]
    with db.session() as session:
        assert knowledge.snippet_by_id(session=session, team_id=TEAM, snippet_id=after.id).text == (
            f"{ROOT}\n\n— (removed)\n— (removed)\n— (removed)"
        )


def test_the_lines_of_their_own_threads_go_with_them(engine: Engine) -> None:
    guild = make_community()
    mine = _thread(guild)
    with db.session() as session:
        gone = forget_user(session=session, team_id=TEAM, user_id="UALICE")
        assert (gone.snippets, gone.replies) == (1, 0)
        assert knowledge.snippet_by_id(session=session, team_id=TEAM, snippet_id=mine.id) is None
        assert not session.exec(select(SnippetReply)).all()


def test_the_lines_of_another_workspace_stay(engine: Engine) -> None:
    snippet = _thread(make_community())
    with db.session() as session:
        assert forget_user(session=session, team_id="T-OTHER", user_id="UBOB").replies == 0
        assert knowledge.replies_of(session=session, snippet=snippet) == list(REPLIES)


def _indexed(session: Session, word: str) -> int:
    """Entries of the search index (any snippet, even a deleted one's) holding `word`."""
    plan = engine_of(session).ranking([word], [], any_term=False)
    return session.execute(
        text(f"SELECT count(*) FROM {plan.matches}"), {"query": plan.query}
    ).one()[0]


def test_their_words_leave_the_search_index(engine: Engine) -> None:
    guild = make_community()
    add_snippet(guild, "kubernetes liveness probes explained", author="UBOB")
    add_snippet(guild, "kubernetes operators", author="UBOB")
    add_snippet(guild, "kubernetes at home", author="UALICE")
    with db.session() as session:
        assert (_indexed(session, "liveness"), _indexed(session, "kubernetes")) == (1, 3)
        forget_user(session=session, team_id=TEAM, user_id="UBOB")
    with db.session() as session:
        assert (_indexed(session, "liveness"), _indexed(session, "kubernetes")) == (0, 1)
