"""Issue 13, finding 4: the workspace is the verified envelope's; people from a partner
workspace (Slack Connect) are people in ours, and its data is never mixed in.

Slack Connect events carry the installing workspace in the envelope (`team_id`,
`authorizations`) and the person's own workspace in `event.team` and `user_team`.
"""

from __future__ import annotations

from sandbox.slack import message_event, reaction_event
from scheduler.kinds import default_slots
from storage import communities, db, knowledge
from storage.knowledge import NewSnippet
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import TEAM, Copbot, flatten_text

PARTNER = "T0PARTNER"


def _guest(copbot: Copbot) -> None:
    copbot.standin.add_user("UERIN", "erin", real_name="Erin Extern", team_id=PARTNER)
    copbot.standin.set_members("CPYTHON", [*copbot.standin.channel_members("CPYTHON"), "UERIN"])


def _partner_knowledge() -> None:
    """The partner workspace runs copbot too, with its own #python community and knowledge."""
    with db.session() as session:
        theirs = communities.create_community(
            session=session,
            team_id=PARTNER,
            name="Partner Python",
            domain="",
            channel_id="CPYTHON",
            channel_name="python",
            is_private=False,
            created_by="UERIN",
            timezone="UTC",
            slots=default_slots(),
        )
        snippet, _ = knowledge.capture_snippet(
            session=session,
            community=theirs,
            new=NewSnippet(
                channel_id="CPYTHON",
                message_ts="1.0001",
                author_id="UERIN",
                curator_id="UERIN",
                text="Partner secret: vendored wheels live on the partner share",
                title="Partner secret",
                tags=[],
                permalink="",
                source="command",
                is_private=False,
            ),
        )
        knowledge.refresh_snippet(session=session, snippet=snippet, community=theirs)


def test_a_guests_mention_is_answered_from_this_workspaces_knowledge(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop share Our secret: wheels are cached on the build server")
    _guest(copbot)
    _partner_knowledge()
    text = "<@UCOPBOT> what do we know about secret?"
    ts = copbot.standin.add_message("CPYTHON", "UERIN", text)["ts"]
    copbot.event(
        {
            "type": "app_mention",
            "user": "UERIN",
            "text": text,
            "ts": ts,
            "channel": "CPYTHON",
            "team": PARTNER,
            "user_team": PARTNER,
            "source_team": PARTNER,
        }
    )
    [answer] = [
        c for c in copbot.standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts
    ]
    shown = flatten_text(answer.args["blocks"])
    assert "Our secret" in shown and "Partner secret" not in shown


def test_a_guests_message_is_kept_and_captured_into_this_workspaces_community(
    copbot: Copbot,
) -> None:
    copbot.cop("/cop create Python Guild")
    _guest(copbot)
    _partner_knowledge()
    posted = copbot.standin.add_message("CPYTHON", "UERIN", "Use uv for lock files")
    copbot.event(
        message_event(
            "CPYTHON", "UERIN", posted["text"], posted["ts"], team=PARTNER, user_team=PARTNER
        )
    )
    reaction = reaction_event(
        "UALICE", "bulb", channel="CPYTHON", ts=posted["ts"], item_user="UERIN"
    )
    copbot.event({**reaction, "team": PARTNER})  # what the event says of the reactor's team
    snippet = snippet_at(posted["ts"])
    assert snippet is not None and snippet.team_id == TEAM
    assert copbot.standin.calls_to("conversations.history") == []  # the guest's message was cached
    with db.session() as session:
        ours = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
    assert ours is not None and snippet.community_id == ours.id
    assert "Use uv for lock files" in copbot.cop("/cop search lock")


def test_a_guest_joining_the_channel_is_welcomed_and_counted(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    _guest(copbot)
    copbot.event(
        {
            "type": "member_joined_channel",
            "user": "UERIN",
            "channel": "CPYTHON",
            "channel_type": "C",
            "team": PARTNER,
            "inviter": "UALICE",
        }
    )
    assert any(e["user"] == "UERIN" and "Welcome" in e["text"] for e in copbot.standin.ephemerals)
    assert "*Members:* 3" in copbot.cop("/cop info")  # Alice, Bob and Erin
