"""A private channel's knowledge and conversations never leave it: not through the weekly
posts of a community that also has public channels, not to a facilitator who is not in it,
not through a button that names it. (Found by trying to read them as an outsider would.)"""

from __future__ import annotations

import json

from sqlmodel import select

from bot.slack_client import make_client
from sandbox.slack import block_actions_payload
from scheduler.kinds import KUDOS
from storage import communities, db
from storage.clock import utcnow
from storage.models import Snippet
from tests.harness import TEAM, Copbot, flatten_text

SECRET = "The vault code is 0451"


def _posted_in(copbot: Copbot, channel: str) -> str:
    calls = copbot.standin.calls_to("chat.postMessage")
    sent = [c.args for c in calls if c.args.get("channel") == channel]
    return "\n".join(flatten_text(a.get("blocks") or []) + (a.get("text") or "") for a in sent)


def _guild_with_secret(copbot: Copbot) -> None:
    """Python Guild lives in public #python (its home) and in private #secret (Alice's)."""
    copbot.cop("/cop create Python Guild")
    assert "is now one of" in copbot.cop("/cop channel add #secret").text
    copbot.cop(f"/cop share {SECRET}", channel="CSECRET")


def _in_secret(copbot: Copbot, user: str) -> None:
    members = copbot.standin.channel_members("CSECRET")
    copbot.standin.set_members("CSECRET", [*members, user])
    copbot.event({"type": "member_joined_channel", "user": user, "channel": "CSECRET"})


def _private_snippet() -> Snippet:
    with db.session() as session:
        return session.exec(select(Snippet).where(Snippet.is_private)).one()


def _click(copbot: Copbot, action_id: str, value: str, user: str) -> str:
    copbot.interactive(
        block_actions_payload(
            user_id=user,
            action_id=action_id,
            value=value,
            channel_id="CPYTHON",
            response_url=copbot.standin.new_response_url("CPYTHON", user=user),
        )
    )
    return flatten_text(copbot.standin.responses[-1]["body"])


def test_the_digest_in_a_public_home_leaves_out_private_knowledge(copbot: Copbot) -> None:
    _guild_with_secret(copbot)
    copbot.cop("/cop share Use pathlib for paths")
    copbot.cop("/cop digest post")
    digest = _posted_in(copbot, "CPYTHON")
    assert "pathlib" in digest and "0451" not in digest
    assert "2 new snippets" in digest, "counted, not shown"


def test_a_digest_posted_in_the_private_channel_shows_its_knowledge(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.cop(f"/cop share {SECRET}", channel="CSECRET")
    copbot.cop("/cop digest post", channel="CSECRET")
    assert "0451" in _posted_in(copbot, "CSECRET")


def test_a_prompt_thread_of_a_private_old_home_is_not_quoted_in_the_new(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.cop("/cop channel add #python", channel="CSECRET")
    copbot.cop("/cop prompt now", channel="CSECRET")
    prompt = copbot.standin.last_message("CSECRET")
    copbot.say("We keep it in the locked drawer", user="UALICE", channel="CSECRET",
               thread_ts=prompt["ts"])  # fmt: skip
    assert "Weekly posts now go to" in copbot.cop("/cop channel home #python").text
    copbot.cop("/cop digest post")
    assert "locked drawer" not in _posted_in(copbot, "CPYTHON")


def test_a_kudos_typed_in_a_private_channel_keeps_its_reason_there(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop channel add #secret")
    copbot.cop("/cop kudos @bob for rotating the vault code to 0451", channel="CSECRET")
    copbot.cop("/cop kudos @bob for the pathlib tip")
    client = make_client(token=copbot.standin.bot_token, base_url=copbot.standin.api_url)
    with db.session() as session:
        guild = communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )
        assert guild is not None
        draft = KUDOS.draft_for(client, session, community=guild, now=utcnow())
    assert draft.message is not None
    summary = flatten_text(draft.message.blocks)
    assert "for the pathlib tip" in summary and "0451" not in summary
    assert "for something in a private channel" in summary


def test_a_facilitator_outside_the_private_channel_does_not_read_it(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    copbot.cop("/cop channel add #secret")
    copbot.cop("/cop facilitator add @bob")
    _in_secret(copbot, "UCAROL")
    copbot.cop(f"/cop share {SECRET}", user="UCAROL", channel="CSECRET")  # waits for a Confirm

    assert "0451" not in copbot.cop("/cop pending", user="UBOB").text
    assert "0451" in copbot.cop("/cop pending").text, "Alice is in #secret"
    to_bob = [c.args for c in copbot.standin.calls_to("chat.postMessage")]
    notes = [a["text"] for a in to_bob if a["channel"] in ("UBOB", "DUBOB")]
    assert notes and all("0451" not in n for n in notes)
    assert any("something shared in a private channel" in n for n in notes)

    snippet = _private_snippet()
    answer = _click(copbot, "confirm_snippet", str(snippet.id), user="UBOB")
    assert "private channel you are not in" in answer and "0451" not in answer
    assert _private_snippet().status == "pending"


def test_an_export_leaves_out_what_its_reader_may_not_see(copbot: Copbot) -> None:
    _guild_with_secret(copbot)
    copbot.cop("/cop facilitator add @bob")
    copbot.cop("/cop export json", user="UBOB")
    copbot.cop("/cop export json")
    bobs, alices = (f["content"].decode() for f in list(copbot.standin.files.values())[-2:])
    assert "0451" not in bobs and "0451" in alices


def test_undo_names_nothing_it_did_not_undo(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.cop(f"/cop share {SECRET}", channel="CSECRET")
    value = json.dumps({"s": _private_snippet().id, "e": "bulb"})
    answer = _click(copbot, "endorse_undo", value, user="UBOB")
    assert "nothing of yours to undo" in answer and "0451" not in answer


def test_only_its_members_add_a_private_channel(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild", user="UBOB")  # Bob is not in #secret; copbot is
    refused = copbot.cop("/cop channel add #secret", user="UBOB").text
    assert "Only someone in a private channel can add it" in refused
    _in_secret(copbot, "UBOB")
    assert "is now one of" in copbot.cop("/cop channel add #secret", user="UBOB").text


def test_a_partner_workspaces_admin_is_no_admin_here(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.add_user("UERIN", "erin", real_name="Erin Extern", team_id="T0PARTNER",
                            is_admin=True)  # fmt: skip
    members = copbot.standin.channel_members("CPYTHON")
    copbot.standin.set_members("CPYTHON", [*members, "UERIN"])
    assert "Only facilitators" in copbot.cop("/cop settings reactions 5", user="UERIN").text
    assert "Only facilitators" not in copbot.cop("/cop settings reactions 2", user="UADMIN").text


def test_a_newcomers_welcome_in_the_public_channel_leaves_private_knowledge_out(
    copbot: Copbot,
) -> None:
    _guild_with_secret(copbot)
    copbot.standin.add_user("UDAN", "dan", real_name="Dan Newcomer")
    copbot.standin.set_members("CPYTHON", [*copbot.standin.channel_members("CPYTHON"), "UDAN"])
    copbot.event({"type": "member_joined_channel", "user": "UDAN", "channel": "CPYTHON"})
    welcome = "\n".join(
        e["text"] + flatten_text(e.get("blocks") or [])
        for e in copbot.standin.ephemerals
        if e["user"] == "UDAN"
    )
    assert "Welcome to *Python Guild*" in welcome and "0451" not in welcome
