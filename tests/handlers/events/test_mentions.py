"""@copbot what do we know about X? — answered in thread."""

from __future__ import annotations

from handlers.events.mentions import question_of
from tests.harness import Copbot, flatten_text


def _mention(copbot: Copbot, text: str, channel: str = "CPYTHON") -> dict:
    ts = copbot.standin.add_message(channel, "UCAROL", text)["ts"]
    copbot.event(
        {"type": "app_mention", "user": "UCAROL", "text": text, "channel": channel, "ts": ts}
    )
    calls = copbot.standin.calls_to("chat.postMessage")
    [answer] = [c for c in calls if c.args["channel"] == channel and c.args.get("thread_ts") == ts]
    return answer.args


def test_questions_are_reduced_to_their_topic() -> None:
    assert question_of("<@UCOPBOT> what do we know about pytest fixtures?") == "pytest fixtures"
    assert question_of("<@UCOPBOT|copbot> hey, tell me about #testing") == "#testing"
    assert question_of("<@UCOPBOT> search for logging!") == "logging"
    assert question_of("<@UCOPBOT>") == ""


def test_a_mention_is_answered_in_thread_with_top_results(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    for tip in (
        "Fixtures share set-up",
        "Fixtures can be parametrized",
        "Fixtures scope",
        "Fixtures yield",
    ):
        copbot.cop(f"/cop share {tip}")
    answer = _mention(copbot, "<@UCOPBOT> what do we know about fixtures?")
    text = flatten_text(answer["blocks"])
    assert "Here's what the community knows about *fixtures*" in text
    assert text.count("Fixtures") == 3  # the top three
    assert "/cop search fixtures" in text
    assert "<@U" not in text  # authors are named, not pinged


def test_an_unknown_topic_gets_a_helpful_answer(copbot: Copbot) -> None:
    answer = _mention(copbot, "<@UCOPBOT> what do we know about kubernetes?", channel="CRANDOM")
    assert "couldn't find anything about *kubernetes*" in flatten_text(answer["blocks"])


def test_a_bare_mention_explains_how_to_ask(copbot: Copbot) -> None:
    answer = _mention(copbot, "<@UCOPBOT>")
    assert "what do we know about" in answer["text"]


def test_private_knowledge_only_answers_in_its_own_channel(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.cop("/cop share The vault code rotates monthly", channel="CSECRET")
    inside = _mention(copbot, "<@UCOPBOT> what do we know about the vault?", channel="CSECRET")
    assert "vault code" in flatten_text(inside["blocks"])
    outside = _mention(copbot, "<@UCOPBOT> what do we know about the vault?", channel="CPYTHON")
    assert "vault code" not in flatten_text(outside["blocks"])
