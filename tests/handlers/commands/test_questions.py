"""/cop questions: open ones oldest first with their replies, answered ones with who answered,
someone's own; a private channel's only for its members."""

from __future__ import annotations

from datetime import timedelta

from bot.blocks.questions import ago, duration
from tests.harness import Copbot


def test_open_answered_and_mine(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "No open questions in *Python Guild*" in copbot.cop("/cop questions")
    first = copbot.say("How do I pin <dependencies> in a monorepo?", user="UBOB")
    copbot.say("Does anyone use Renovate with GitLab?", user="UALICE")
    copbot.say("Lock files, always", user="UALICE", thread_ts=first)
    listing = copbot.cop("/cop questions", user="UCAROL")
    assert "Open questions in *Python Guild*, the longest waiting first (2)" in listing
    text = listing.text
    assert text.index("pin &lt;dependencies&gt;") < text.index("Renovate"), "oldest first"
    assert "asked by Bob Builder just now · 1 reply" in text
    assert "asked by Alice Liddell just now · no reply yet" in text
    assert "|How do I pin &lt;dependencies&gt; in a monorepo?>" in text, "linked to the message"

    copbot.say("Thanks, that worked", user="UBOB", thread_ts=first)
    answered = copbot.cop("/cop questions answered").text
    assert "pin &lt;dependencies&gt;" in answered and "answered by Alice Liddell" in answered
    assert "pin &lt;dependencies&gt;" not in copbot.cop("/cop questions open").text
    mine = copbot.cop("/cop questions mine", user="UBOB").text
    assert "Your questions in *Python Guild*" in mine and "Renovate" not in mine
    assert "You haven't asked a question" in copbot.cop("/cop questions mine", user="UCAROL")
    assert "I know open, answered and mine" in copbot.cop("/cop questions everything")


def test_a_private_channels_questions_are_listed_only_to_its_members(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop channel add #secret")
    copbot.say("Where do we keep the vault code?", user="UALICE", channel="CSECRET")
    copbot.say("Which linter do you use for Terraform?", user="UBOB")
    bobs = copbot.cop("/cop questions", user="UBOB").text
    assert "Terraform" in bobs and "vault" not in bobs and "(1)" in bobs
    assert "vault" in copbot.cop("/cop questions").text, "Alice is in #secret"


def test_ages_read_as_people_say_them() -> None:
    assert ago(timedelta(seconds=20)) == "just now"
    assert ago(timedelta(minutes=1)) == "1 minute ago"
    assert ago(timedelta(hours=3, minutes=5)) == "3 hours ago"
    assert ago(timedelta(days=2, hours=23)) == "2 days ago"
    assert ago(timedelta(days=15)) == "2 weeks ago"


def test_waits_read_short() -> None:
    assert duration(timedelta(seconds=30)) == "under a minute"
    assert duration(timedelta(minutes=45)) == "45 min"
    assert duration(timedelta(hours=2, minutes=10)) == "2 h 10 min"
    assert duration(timedelta(hours=12, minutes=10)) == "12 h"
    assert duration(timedelta(days=3, hours=5)) == "3 days"
