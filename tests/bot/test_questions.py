"""The two rules of questions, as tables: what is a question, and what is a thanks that
closes one. Text is given as Slack sends it in message events (escaped, links as <…>)."""

from __future__ import annotations

import pytest

from bot.questions import is_question, is_thanks

QUESTIONS = [
    "How do I pin dependencies in a monorepo?",
    "how do i pin dependencies in a monorepo",
    "Does anyone know why pytest collects my conftest twice",
    "Has anyone tried uv with private indexes?",
    "Anyone know a good library for retrying HTTP calls",
    "What's the best way to profile a slow Django view?",
    "What is the recommended way to store secrets in CI",
    "Is there a way to make mypy ignore one generated module?",
    "Can someone explain the difference between a Deployment and a StatefulSet?",
    "Could anybody review my PR today? It's the logging one.",
    "Quick question: how should we version our internal APIs",
    "Hi all, is there a tool that diffs two OpenAPI specs?",
    "Why does `pip install -e .` not pick up my package data?",
    "Why is the build so slow on Mondays",
    "Which linter do you use for Terraform?",
    "Where do we keep the on-call runbook?",
    "We moved to Postgres 16. Did anyone see planner regressions after upgrading?",
    "I'm wondering if anyone has benchmarked orjson against ujson",
    "I wonder how other teams handle flaky tests",
    "Any tips for writing good commit messages",
    "Any ideas why my Celery workers die silently?",
    "Is it worth moving our cron jobs to Airflow?",
    "Should we squash commits when merging?",
    "What's the difference between `git reset` and `git revert`",
    "Do any of you run Renovate on a self-hosted GitLab?",
    "hey folks, how can I get the coverage report to include subprocesses?",
    "Has anybody used Hypothesis for stateful testing?\nI'd love an example.",
    "Stuck on this one: why can't Docker find my .env file?",
    "When is the next guild meeting?",
    "Can I use `asyncio.TaskGroup` on Python 3.10?",
    "Is <https://docs.python.org/3/library/venv.html|venv> enough or should I use pyenv too?",
    "What do you all think about pre-commit hooks in CI?",
    "Which is faster for JSON, orjson or msgspec?",
    "How does the GIL affect threads doing I/O?",
    "Are there any guides for migrating from setup.py to pyproject.toml?",
    "is anyone using Ruff's formatter in production",
    "Who owns the billing service these days?",
    "Do we have a style guide for SQL?",
    "How to run a single test with tox?",
    "Has anyone seen `ECONNRESET` from the npm registry today?",
    "Any advice on structuring a FastAPI app with 50 routers?",
    "What tools are people using for API mocking?",
]
NOT_QUESTIONS = [
    "",
    "lunch?",
    "ready?",
    "See you tomorrow?",
    "We ship on Friday, right?",
    "That was a great talk, wasn't it? Loved it, right?",
    "Lunch at the Thai place at 12:30, who's in?",
    "Coffee?",
    "TIL: `functools.cache` keeps every `self` alive forever. Use `cached_property`.",
    "Tip: `python -X importtime -c 'import app'` prints how long each import takes.",
    "```\nif x?.y then z\n```",
    "Run `grep -E 'a?b' file.txt` to find them",
    "See <https://example.com/faq?page=2|the FAQ> for details.",
    "&gt; How do I pin dependencies?\nThis is what Lena asked last week, here is the answer.",
    "Reminder: small PRs, one reviewer, answer within a day.",
    "The coffee machine on the 3rd floor works again :coffee:",
    "Thanks everyone for coming to the meetup!",
    "Deployed v2.3 to production.",
    "Happy Friday?",
    "Good morning!",
    "I fixed the flaky test by pinning the seed.",
    "The answer is 42.",
    "Ok?",
    "Sounds good?",
    "nice, you in?",
    "Here's how I pin dependencies: lock files everywhere.",
    "What a week.",
    "Why not. Let's do it.",
    "PR is up: <https://github.com/acme/app/pull/12?files=1>",
    "Use `a ?? b` in TypeScript for defaults.",
    "```python\nvalue = maybe() if ok else None  # why?\n```",
    "yes",
    "+1",
    ":tada: congrats on the launch",
    "How great was that demo!",
    "We should document how to rotate the keys.",
    "Note to self: how to rotate keys is in the wiki.",
    "Great question, I'll write it up",
    "anyone in?",
    "lol ok?",
    "Back from holiday",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_these_are_questions(text: str) -> None:
    assert is_question(text), text


@pytest.mark.parametrize("text", NOT_QUESTIONS)
def test_these_are_not(text: str) -> None:
    assert not is_question(text), text


THANKS = [
    "thanks!",
    "Thanks, that worked",
    "thank you so much",
    "Thank you @lena, that did it",
    "thx",
    "ty!",
    "tysm",
    "That worked, thanks!",
    "that fixed it :tada:",
    "Works now!",
    "it works now, thank you",
    "perfect, thanks",
    "Perfect thanks",
    "many thanks",
    "much appreciated",
    "appreciate it!",
    "That did the trick",
    "worked like a charm",
    "Solved, thanks Marco",
    "problem solved",
    "you're a lifesaver",
    "You are a star",
    "saved my day",
    "That helped a lot",
    ":pray:",
    "Thanks <@U123|lena>!",
    "OK thanks, will try on Monday but looks right",
    "Thank you! I owe you a coffee",
    "cheers, thanks!",
    "THANKS",
    "Thanks for the pointer, that solved it",
    "Great answer, thank you",
    "that works, ty",
    "Brilliant, that worked",
    "thank u",
    "That solved it :raised_hands:",
    "Aha, works now. Thanks both",
    "thanks all, sorted",
    "Thanks, exactly what I needed",
    "Nice, that did it. Thank you!",
]
NOT_THANKS = [
    "",
    "Thanks in advance!",
    "thanks anyway",
    "Thanks anyways, I'll ask elsewhere",
    "no thanks",
    "No thank you",
    "Thanks for asking!",
    "Thanks, but it still doesn't work",
    "thanks but that didn't help",
    "That doesn't work for me",
    "Still not working :(",
    "did not fix it",
    "Thanks, does it also work on Windows?",
    "Not solved yet",
    "still unsolved",
    "Have you tried turning it off and on again?",
    "Try `pip install -U pip` first",
    "I had the same problem last week",
    "Use a lock file",
    "Can you share the stack trace?",
    "Any update?",
    "+1, same here",
    "Which version are you on?",
    "It depends on your setup",
    "Let me check",
    "Looking into it",
    "What does the log say?",
    "hmm",
    "ok",
    "I think it's a caching issue",
    "thanks but no, that's not it",
    "That didn't work either",
    "works for me on Linux",
    "Same question here",
    "You could try the nightly build",
    "`thanks` is a reserved word in our DSL",
    "```\nprint('thank you')\n```",
    "See <https://example.com/thanks|this page>",
    "Does not help, sorry",
    "Thanks for nothing",
]


@pytest.mark.parametrize("text", THANKS)
def test_these_thank(text: str) -> None:
    assert is_thanks(text), text


@pytest.mark.parametrize("text", NOT_THANKS)
def test_these_do_not(text: str) -> None:
    assert not is_thanks(text), text


def test_each_table_has_forty_cases_at_least() -> None:
    assert min(len(QUESTIONS), len(NOT_QUESTIONS), len(THANKS), len(NOT_THANKS)) >= 40
