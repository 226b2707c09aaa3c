"""/cop share and /cop search, with paging, privacy and escaping."""

from __future__ import annotations

import json

from tests.handlers.knowledge_helpers import snippet_at, tags_at
from tests.harness import Copbot


def test_share_posts_with_attribution_and_is_found(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    reply = copbot.cop("/cop share Use pytest fixtures for set-up #testing", user="UBOB")
    assert reply.status == 200
    post = copbot.standin.last_message("CPYTHON")
    assert "Use pytest fixtures for set-up" in str(post["blocks"]) and "<@UBOB>" in str(
        post["blocks"]
    )
    snippet = snippet_at(post["ts"])
    assert (snippet.author_id, snippet.source, snippet.status) == ("UBOB", "command", "confirmed")
    assert tags_at(post["ts"]) == ["testing"]
    found = copbot.cop("/cop search fixtures", user="UALICE")
    assert "Use pytest fixtures for set-up" in found
    assert "by Bob Builder" in found and "#testing" in found


def test_a_command_that_says_payload_is_read_as_a_command(copbot: Copbot) -> None:
    """Bolt's parse_body takes any form containing "payload" for interactivity and reads {}:
    the command was answered 404 (Slack shows the person "dispatch_failed")."""
    copbot.cop("/cop create Python Guild")
    reply = copbot.cop("/cop share Validate the payload before you parse it #api", user="UBOB")
    assert reply.status == 200 and "unhandled" not in reply.ack_body
    assert "Validate the payload" in copbot.cop("/cop search payload")
    copbot.standin.add_channel("CPAYLOAD", name="payloads", members=["UALICE", "UCOPBOT"])
    assert "isn't a community yet" in copbot.cop("/cop share a tip", channel="CPAYLOAD")


def test_share_needs_a_community_and_text(copbot: Copbot) -> None:
    assert "isn't a community yet" in copbot.cop("/cop share a tip", channel="CRANDOM")
    assert "isn't a community yet" in copbot.cop("/cop share   ", channel="CRANDOM")
    copbot.cop("/cop create Python Guild")
    assert "Share what?" in copbot.cop("/cop share   ")


def test_share_after_leaving_asks_to_join_again(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop leave", user="UBOB")
    assert "/cop join" in copbot.cop("/cop share a tip", user="UBOB")


def test_share_in_a_channel_copbot_was_removed_from_explains(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.standin.set_members("CPYTHON", ["UALICE", "UBOB"])
    reply = copbot.cop("/cop share a tip")
    assert "/invite @copbot" in reply


def test_search_needs_a_query(copbot: Copbot) -> None:
    assert "Search for what?" in copbot.cop("/cop search")
    assert "Search for what?" in copbot.cop("/cop search ?! ...")


def test_nothing_found_suggests_tags(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop share Use ruff #linting")
    reply = copbot.cop("/cop search kubernetes")
    assert "Nothing in community knowledge matches “kubernetes” yet" in reply
    assert "`#linting`" in reply


def test_tag_and_person_filters(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop share Prefer pathlib #stdlib", user="UALICE")
    copbot.cop("/cop share Prefer httpx #http", user="UBOB")
    by_tag = copbot.cop("/cop search #stdlib")
    assert "pathlib" in by_tag and "httpx" not in by_tag
    by_person = copbot.cop("/cop search prefer @bob")
    assert "httpx" in by_person and "pathlib" not in by_person


def test_private_knowledge_is_only_for_its_channel_members(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.cop("/cop share The vault code is in 1Password", channel="CSECRET")
    assert "vault code" in copbot.cop("/cop search vault", user="UALICE", channel="DALICE")
    assert "vault code" not in copbot.cop("/cop search vault", user="UBOB", channel="CRANDOM")


def test_reposted_text_can_never_ping_or_forge_links(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    # typed as text: a fake broadcast and link; made real by Slack: @here and @carol
    nasty = "Deploy tips <!channel> <mailto:evil@example.io|click here> & more @here @carol"
    ts = copbot.say(nasty)
    copbot.react(ts)
    copbot.cop("/cop share Also " + nasty)
    shared = copbot.standin.last_message("CPYTHON")
    found = copbot.cop("/cop search deploy").responses
    for rendered in (json.dumps(shared), json.dumps(found)):
        for raw in ("<!channel>", "<!here>", "|click here>"):
            assert raw not in rendered
        assert "&lt;!channel&gt; &lt;mailto:evil@example.io|click here&gt; &amp; more" in rendered
    # the sharer's own mention of Carol stays in their post; search results name her, no ping
    assert "<@UCAROL>" in json.dumps(shared["blocks"]) and "<@U" not in json.dumps(found)
    assert "@here" in json.dumps(shared) and "@Carol Danvers" in json.dumps(found)


def test_long_knowledge_is_cut_to_block_kit_limits(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    long_text = "Profiling " + "word " * 2000
    reply = copbot.cop("/cop share " + long_text)
    assert reply.status == 200
    post = copbot.standin.last_message("CPYTHON")
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in post["blocks"])
    assert snippet_at(post["ts"]).text == long_text.strip()  # nothing is lost in storage
    found = copbot.cop("/cop search profiling")
    assert "…" in found and copbot.errors == []


def test_experts_are_ranked_by_what_they_shared_and_endorsed(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop share Kubernetes probes need timeouts #k8s", user="UBOB")
    copbot.cop("/cop share Kubernetes pods restart policies #k8s", user="UBOB")
    copbot.cop("/cop share Kubernetes resource limits", user="UALICE")
    ts = copbot.say("kubernetes operators are hard", user="UBOB")
    copbot.react(ts, user="UADMIN")
    reply = copbot.cop("/cop experts kubernetes")
    text = reply.text
    assert text.index("*Bob Builder*: 3 snippets\n") < text.index("*Alice Liddell*: 1 snippet\n")
    assert "*Ada Admin*: endorsed 1" in text and "<@U" not in text
    assert "Nobody has shared" in copbot.cop("/cop experts quantum")
    assert "Experts on what?" in copbot.cop("/cop experts")
