"""Questions followed from message events as Slack sends them: a question asked is recorded
once, its first reply by someone else is its first response, the asker's thanks marks the
reply before it as the answer; edits and deletes follow the message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import select

from storage import db
from storage.clock import utcnow
from storage.models import Question
from tests.handlers.commands.test_forget import _forget
from tests.handlers.knowledge_helpers import snippet_at
from tests.harness import Copbot


def _questions() -> list[Question]:
    with db.session() as session:
        return list(session.exec(select(Question).order_by(Question.id)))


def test_a_question_is_recorded_once_and_a_statement_is_not(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.say("TIL: `functools.cache` keeps `self` alive. Use `cached_property`.", user="UBOB")
    ts = copbot.say("How do I pin <dependencies> in a monorepo?", user="UBOB")
    copbot.say("Lunch, who's in?", user="UCAROL", channel="CRANDOM")  # no community there
    [question] = _questions()
    assert (question.message_ts, question.asker_id, question.status) == (ts, "UBOB", "open")
    assert question.text == "How do I pin &lt;dependencies&gt; in a monorepo?", "markup, as stored"
    assert question.first_reply_at is None and not question.is_private

    copbot.event(  # the same message event again
        {
            "type": "message",
            "channel": "CPYTHON",
            "user": "UBOB",
            "text": question.text,
            "ts": ts,
            "team": "T0001",
        }
    )
    assert len(_questions()) == 1, "a re-delivered event records nothing twice"


def test_first_response_and_an_answer_by_thanks(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    asked = copbot.say("Does anyone know why my Celery workers die silently?", user="UBOB")
    copbot.say("Any logs?", user="UBOB", thread_ts=asked)  # the asker: no response yet
    assert _questions()[0].first_reply_at is None
    first = copbot.say("Check the OOM killer in dmesg", user="UALICE", thread_ts=asked)
    copbot.say("+1, same here last month", user="UCAROL", thread_ts=asked)
    question = _questions()[0]
    assert question.first_replier_id == "UALICE" and question.first_reply_at is not None
    assert question.status == "open"
    copbot.say("Thanks, that worked!", user="UBOB", thread_ts=asked)
    question = _questions()[0]
    assert (question.status, question.answered_by, question.answer_ts) == (
        "answered",
        "UCAROL",  # the reply just before the thanks
        copbot.standin.messages("CPYTHON")[-2]["ts"],
    )
    assert first != question.answer_ts
    copbot.say("thanks again", user="UBOB", thread_ts=asked)
    assert _questions()[0].answer_ts == question.answer_ts, "answered once"


def test_thanks_in_advance_and_others_thanks_do_not_answer(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    asked = copbot.say("How can I speed up our Docker builds? Thanks in advance", user="UBOB")
    copbot.say("Use BuildKit cache mounts", user="UALICE", thread_ts=asked)
    copbot.say("Thanks in advance for more ideas", user="UBOB", thread_ts=asked)
    copbot.say("Thanks Alice, that worked for me too", user="UCAROL", thread_ts=asked)
    assert _questions()[0].status == "open"


def test_edits_and_deletes_follow_the_message(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    asked = copbot.say("How do I rotate the API keys?", user="UBOB")
    copbot.edit(asked, "How do I rotate the API keys without downtime?")
    assert _questions()[0].text == "How do I rotate the API keys without downtime?"
    copbot.delete(asked)
    assert _questions() == []


def test_facilitators_can_turn_detection_off(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "Only facilitators" in copbot.cop("/cop settings questions off", user="UBOB")
    changed = copbot.cop("/cop settings questions off")
    assert "Saved. Questions followed: on → off." in changed
    assert "`/cop settings questions on`" in changed, "the hint follows the value"
    copbot.say("How do I pin dependencies?", user="UBOB")
    assert _questions() == []
    assert "Questions followed: off → on" in copbot.cop("/cop settings questions on")
    assert "is `on` or `off`" in copbot.cop("/cop settings questions maybe")
    copbot.say("How do I pin dependencies now?", user="UBOB")
    assert len(_questions()) == 1


def test_a_private_channels_question_is_marked_private(copbot: Copbot) -> None:
    copbot.cop("/cop create Secret Society", channel="CSECRET")
    copbot.say("Where is the vault code kept?", user="UALICE", channel="CSECRET")
    [question] = _questions()
    assert question.is_private and question.channel_id == "CSECRET"


def test_forget_me_takes_their_questions_and_their_name_off_others(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    mine = copbot.say("How do I rotate the API keys?", user="UBOB")
    theirs = copbot.say("Does anyone use Renovate?", user="UCAROL")
    copbot.say("Yes, on every repo", user="UBOB", thread_ts=theirs)
    copbot.say("Thanks, that helped", user="UCAROL", thread_ts=theirs)
    copbot.say("Use the vault CLI", user="UALICE", thread_ts=mine)
    forgotten = _forget(copbot, "UBOB")  # /cop forget me, confirmed
    assert "removed" in forgotten.lower() or "deleted" in forgotten.lower(), forgotten
    [left] = _questions()
    assert left.message_ts == theirs and left.status == "answered"
    assert left.first_replier_id is None and left.answered_by is None


def test_thanking_someone_by_name_credits_their_reply(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    asked = copbot.say("How do you all pin dependencies?", user="UBOB")
    answer = copbot.say("Lock everything, commit the lock file", user="UALICE", thread_ts=asked)
    copbot.say("+1, and upgrade it weekly", user="UCAROL", thread_ts=asked)
    copbot.say("Thanks @alice, that worked", user="UBOB", thread_ts=asked)
    question = _questions()[0]
    assert (question.answered_by, question.answer_ts) == ("UALICE", answer)


def test_an_answered_threads_becomes_knowledge_credited_to_who_answered(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    asked = copbot.say("How do I find slow imports?", user="UBOB")
    copbot.say("`python -X importtime` prints each import's cost", user="UALICE", thread_ts=asked)
    copbot.say("Thanks @alice, that worked", user="UBOB", thread_ts=asked)
    snippet = snippet_at(asked)
    assert snippet is not None and snippet.source == "answer"
    assert (snippet.author_id, snippet.curator_id, snippet.status) == (
        "UALICE",
        "UBOB",
        "confirmed",
    )
    assert "How do I find slow imports?" in snippet.text and "importtime" in snippet.text
    found = copbot.cop("/cop search importtime", user="UCAROL").text
    assert "How do I find slow imports?" in found and "by Alice Liddell" in found
    copbot.say("thanks again!", user="UBOB", thread_ts=asked)
    assert snippet_at(asked).id == snippet.id, "kept once"


def test_where_knowledge_is_confirmed_first_the_answer_waits(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop settings confirmation on")
    asked = copbot.say("Which linter do you use for Terraform?", user="UBOB")
    copbot.say("tflint, with the AWS ruleset", user="UCAROL", thread_ts=asked)
    copbot.say("Thank you, that did it", user="UBOB", thread_ts=asked)
    assert snippet_at(asked).status == "pending"
    assert "tflint" in copbot.cop("/cop pending").text


def test_a_check_mark_from_the_asker_or_a_facilitator_answers_it(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    asked = copbot.say("Is there a way to make mypy skip one module?", user="UBOB")
    answer = copbot.say("Add `ignore_errors = true` in its section", user="UCAROL", thread_ts=asked)
    copbot.say("Or exclude it", user="UALICE", thread_ts=asked)
    copbot.react(answer, user="UCAROL", emoji="white_check_mark")  # not hers to say
    assert _questions()[0].status == "open"
    copbot.react(answer, user="UBOB", emoji="white_check_mark")  # the asker, on Carol's reply
    question = _questions()[0]
    assert (question.status, question.answered_by, question.answer_ts) == (
        "answered",
        "UCAROL",
        answer,
    )
    assert snippet_at(asked).author_id == "UCAROL"


def test_a_facilitators_check_mark_on_the_question_credits_the_latest_reply(
    copbot: Copbot,
) -> None:
    copbot.cop("/cop create Python Guild")
    asked = copbot.say("How do I rotate the API keys?", user="UBOB")
    copbot.say("With the vault CLI", user="UCAROL", thread_ts=asked)
    copbot.react(asked, user="UALICE", emoji="white_check_mark")  # Alice facilitates
    question = _questions()[0]
    assert (question.status, question.answered_by) == ("answered", "UCAROL")


def test_the_digest_lists_open_questions_and_the_time_to_a_first_reply(
    copbot: Copbot, clock: Callable[[timedelta], None]
) -> None:
    copbot.cop("/cop create Python Guild")
    start = utcnow()
    answered = copbot.say("How do I find slow imports?", user="UBOB", at=start)
    clock(timedelta(hours=2))  # the reply comes two hours later, and is dated so by Slack
    later = start + timedelta(hours=2)
    copbot.say("`python -X importtime`", user="UALICE", thread_ts=answered, at=later)
    waiting = copbot.say(
        "Has anyone run our tests with pytest-xdist?",
        user="UCAROL",
        at=later + timedelta(seconds=1),
    )
    clock(timedelta(hours=3, seconds=2))  # an hour after that (the clock is set, not moved)
    digest = copbot.cop("/cop digest").text
    assert "Open questions (2)" in digest
    assert digest.index("slow imports") < digest.index("pytest-xdist"), "the oldest first"
    assert "asked by Carol Danvers 1 hour ago" in digest
    assert f"archives/CPYTHON/p{waiting.replace('.', '')}|Has anyone run" in digest
    assert "Median time to a first reply: 2 h." in digest


def test_a_private_channels_questions_stay_out_of_a_public_digest(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop channel add #secret")
    copbot.say("Where is the vault code kept?", user="UALICE", channel="CSECRET")
    copbot.say("Which linter for Terraform?", user="UBOB")
    digest = copbot.cop("/cop digest").text
    assert "Open questions (1)" in digest and "vault" not in digest


def test_stats_show_questions_answered_and_the_wait_for_a_first_reply(
    copbot: Copbot, clock: Callable[[timedelta], None]
) -> None:
    copbot.cop("/cop create Python Guild")
    start = utcnow()
    first = copbot.say("How do I find slow imports?", user="UBOB", at=start)
    copbot.say(
        "Is there a way to skip one mypy module?", user="UCAROL", at=start + timedelta(seconds=1)
    )
    later = start + timedelta(minutes=45)
    clock(timedelta(minutes=45))
    copbot.say("`python -X importtime`", user="UALICE", thread_ts=first, at=later)
    copbot.say("Thanks, that worked", user="UBOB", thread_ts=first, at=later + timedelta(seconds=1))
    stats = copbot.cop("/cop stats 1").text
    assert ":grey_question: *Questions*" in stats
    rows = stats.split(":grey_question: *Questions*")[1].split("```")[1].strip().splitlines()
    assert rows[0].split() == ["week", "asked", "answered", "1st", "reply", "p90"]
    assert rows[1].split()[2:] == ["2", "50%", "45m", "45m"]  # after "Dec 7"
    assert "Answered most: Alice Liddell (1)" in stats


def test_stats_without_questions_leave_the_section_out(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    assert "*Questions*" not in copbot.cop("/cop stats").text
