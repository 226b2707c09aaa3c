"""The sandbox end to end through its page API: the demo seed, and every kind of thing a person
can do there reaching the real app as signed Slack requests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

import pytest

from sandbox.runner import SandboxFiles, SandboxRunner
from sandbox.seed import GUILD, PEOPLE, RANDOM
from storage.clock import ahead, utcnow
from tests.sandbox.conftest import PageClient


def text_of(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False)


def message_by(state: dict[str, Any], needle: str) -> dict[str, Any]:
    return next(m for m in state["messages"] if needle in m["text"])


def button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for block in blocks:
        elements = [*block.get("elements", []), block.get("accessory") or {}]
        for element in elements:
            if element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id", "")}
    raise AssertionError(f"no {action_id} button in {text_of(blocks)[:500]}")


def values_for(modal: dict[str, Any], typed: dict[str, str]) -> dict[str, Any]:
    """view.state.values for a modal: `typed` by action_id, initial values elsewhere."""
    values: dict[str, Any] = {}
    for block in modal["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        action = element["action_id"]
        if element["type"] == "plain_text_input":
            value = typed.get(action, element.get("initial_value"))
            state = {"type": "plain_text_input", "value": value}
        elif element["type"] == "static_select":
            wanted = typed.get(action)
            option = next(
                (o for o in element["options"] if o["value"] == wanted),
                element.get("initial_option") or element["options"][0],
            )
            state = {"type": "static_select", "selected_option": option}
        else:
            continue
        values[block["block_id"]] = {action: state}
    return values


def test_a_new_sandbox_is_the_demo_workspace(page: PageClient) -> None:
    state = page.state()
    assert {p["id"] for p in state["people"]} == set(PEOPLE)
    assert [c["name"] for c in state["channels"]] == ["python-guild", "random"]
    announcement = state["messages"][0]
    assert announcement["is_bot"] and "Python Guild" in announcement["text"]
    pinning = message_by(state, "pin dependencies")
    assert pinning["reply_count"] == 3  # Lena, Jordan, and Sam thanking Lena
    thread = page.state(thread=pinning["ts"])["thread"]
    assert [r["name"] for r in thread["replies"]] == ["Lena Fischer", "Jordan Lee", "Sam Okafor"]
    assert state["next_post"]["label"].endswith("of Python Guild")
    assert page.state(RANDOM)["messages"], "#random has its own chatter"

    page.send("/cop info")
    info = page.ephemeral_with("Python Guild")
    assert "packaging" in text_of(info), "the community was created with its domain"
    assert "<@UPRIYA>" in text_of(info), "Priya created it and facilitates it"


def test_the_demo_workspace_has_knowledge_a_prompt_and_kudos(page: PageClient) -> None:
    state = page.state()
    tip = message_by(state, "importtime")
    assert {r["name"]: r["count"] for r in tip["reactions"]} == {"bulb": 2, "raised_hands": 1}
    prompt = next(m for m in state["messages"] if m["is_bot"] and m["reply_count"] == 2)
    answers = page.state(thread=prompt["ts"])["thread"]["replies"]
    assert [a["name"] for a in answers] == ["Lena Fischer", "Marco Rossi"]
    assert "gave kudos" in text_of(state["messages"])
    assert not any(m["ephemeral"] for m in state["messages"]), "seed-time notes are gone"

    page.send("/cop questions")
    open_questions = text_of(page.ephemeral_with("Open questions"))
    assert "pytest-xdist" in open_questions and "pin dependencies" not in open_questions
    page.send("/cop questions answered")
    assert "answered by Lena Fischer" in text_of(page.ephemeral_with("Answered and closed"))

    page.send("/cop search lock")
    found = text_of(page.ephemeral_with("2 results for lock"))
    assert "pip-compile" in found, "a saved thread reply is found"
    assert "pin dependencies" in found, "and the answered question's thread, kept as knowledge"
    priya = PageClient(page.runner, "UPRIYA")
    priya.send("/cop digest")
    preview = text_of(priya.ephemeral_with("week in review"))
    assert "importtime" in preview and "2 replies" in preview, preview[:800]


def test_a_reaction_captures_and_search_finds_it(runner: SandboxRunner) -> None:
    marco, sam = PageClient(runner, "UMARCO"), PageClient(runner, "USAM")
    til = message_by(marco.state(), "functools.cache")
    assert marco.post("/sandbox/react", channel=GUILD, ts=til["ts"], name="bulb")["added"]
    marco.ephemeral_with("is now *Python Guild* knowledge")
    pills = message_by(sam.state(), "functools.cache")["reactions"]
    assert pills == [{"name": "bulb", "count": 1, "mine": False}]
    assert message_by(marco.state(), "functools.cache")["reactions"][0]["mine"]

    sam.send("/cop search functools")
    found = sam.ephemeral_with("cached_property")
    assert found["user"] == runner.standin.bot_user_id, "copbot wrote it, Sam alone sees it"
    assert not any(m["ephemeral"] for m in PageClient(runner, "ULENA").state()["messages"])

    # the same button again takes the reaction back: the snippet is withdrawn
    assert not marco.post("/sandbox/react", channel=GUILD, ts=til["ts"], name="bulb")["added"]
    assert message_by(marco.state(), "functools.cache")["reactions"] == []
    sam.send("/cop search cached_property")
    sam.ephemeral_with("Nothing")


def test_a_button_in_an_ephemeral_replaces_it(page: PageClient) -> None:
    page.send("/cop forget me")
    ask = page.ephemeral_with("Forget me")
    forget = button(ask["blocks"], "forget_me_confirm")
    answer = page.post(
        "/sandbox/action",
        source="ephemeral",
        channel=GUILD,
        ts=ask["ts"],
        action={
            "action_id": forget["action_id"],
            "block_id": forget["block_id"],
            "type": "button",
            "value": forget["value"],
        },
    )
    assert answer == {"ok": True}

    def replaced() -> Any:
        same = [m for m in page.state()["messages"] if m["ts"] == ask["ts"]]
        return same and "copbot removed" in text_of(same[0]) and same[0]

    assert "Forget me" not in text_of(page.wait_for(replaced))


def test_modals_open_show_errors_and_submit(page: PageClient) -> None:
    page.post("/sandbox/shortcut", callback_id="share_knowledge")
    modal = page.wait_for(lambda: page.state()["modal"])
    assert modal["submit"] and modal["title"]

    empty = values_for(modal, {"text_input": " "})
    assert page.post("/sandbox/submit", view_id=modal["id"], values=empty)["ok"]
    still = page.state()["modal"]
    assert still["id"] == modal["id"] and still["errors"], "an empty snippet is refused"

    typed = values_for(modal, {"text_input": "Use `pytest --lf` to rerun only failures #testing"})
    assert page.post("/sandbox/submit", view_id=modal["id"], values=typed)["ok"]
    assert page.state()["modal"] is None
    page.wait_for(lambda: any("pytest --lf" in m["text"] for m in page.state()["messages"]))


def test_message_shortcut_saves_through_its_modal(page: PageClient) -> None:
    tip = message_by(page.state(), "importtime")
    page.post("/sandbox/shortcut", callback_id="save_knowledge", channel=GUILD, ts=tip["ts"])
    modal = page.wait_for(lambda: page.state()["modal"])
    assert "importtime" in text_of(modal["blocks"])
    values = values_for(modal, {"title_input": "Find slow imports"})
    assert page.post("/sandbox/submit", view_id=modal["id"], values=values)["ok"]
    page.send("/cop search slow imports")
    page.ephemeral_with("Find slow imports")


def test_closing_a_modal(page: PageClient) -> None:
    page.post("/sandbox/shortcut", callback_id="share_knowledge")
    modal = page.wait_for(lambda: page.state()["modal"])
    assert page.post("/sandbox/close", view_id=modal["id"]) == {"ok": True}
    assert page.state()["modal"] is None
    assert page.post("/sandbox/close", view_id=modal["id"])["ok"] is False


def test_app_home_and_its_buttons(page: PageClient) -> None:
    assert page.state()["home"] is None
    page.post("/sandbox/home")
    home = page.wait_for(lambda: page.state()["home"])
    assert "Python Guild" in text_of(home["blocks"])
    search = button(home["blocks"], "home_search")
    page.post(
        "/sandbox/action",
        source="home",
        view_id=home["id"],
        action={"action_id": "home_search", "block_id": search["block_id"], "type": "button"},
    )
    modal = page.wait_for(lambda: page.state()["modal"])
    assert "Search" in modal["title"]


def test_mentioning_copbot_answers_in_the_thread(page: PageClient) -> None:
    page.send("@copbot what do we know about pinning?")
    asked = page.wait_for(lambda: message_by(page.state(), "what do we know")["reply_count"])
    assert asked == 1
    question = message_by(page.state(), "what do we know")
    assert question["text"].startswith(f"<@{page.runner.standin.bot_user_id}>")


def test_kudos_and_the_clock_jump_to_the_digest(runner: SandboxRunner) -> None:
    sam, lena = PageClient(runner, "USAM"), PageClient(runner, "ULENA")
    sam.send("/cop kudos @lena thanks for the lock file advice")
    lena.wait_for(lambda: any("gave kudos" in m["text"] for m in lena.state()["messages"]))

    before = sam.state()
    jumps = []
    for _ in range(4):
        answer = sam.post("/sandbox/clock/next")
        assert answer["ok"], answer
        jumps.append(answer["summary"])
        if "digest" in answer["summary"].lower():
            break
    assert any("Weekly digest" in jump and "1 posted" in jump for jump in jumps), jumps
    after = sam.state()
    assert after["now"] > before["now"]
    digest = after["messages"][-1]
    assert digest["is_bot"] and "kudos" in digest["text"]


def jump_to_digest(page: PageClient) -> str:
    for _ in range(6):
        answer = page.post("/sandbox/clock/next")
        assert answer["ok"], answer
        if answer["summary"].startswith("Weekly digest"):
            return str(answer["summary"])
    raise AssertionError("no digest within six jumps")


def test_after_a_jump_copbot_lives_in_sandbox_time(runner: SandboxRunner) -> None:
    lena = PageClient(runner, "ULENA")
    jump_to_digest(lena)
    first_digest = lena.state()["messages"][-1]
    assert "3 new snippets, 2 kudos" in first_digest["text"], "the demo seed's week"
    jumped_to = lena.state()["now"]

    tip = message_by(lena.state(), "review habits")
    lena.post("/sandbox/react", channel=GUILD, ts=tip["ts"], name="books")
    lena.ephemeral_with("is now *Python Guild* knowledge")
    reaction_ts = float(lena.state()["messages"][-1]["ts"])
    assert reaction_ts >= datetime.fromisoformat(jumped_to).timestamp(), "dated after the jump"

    assert "1 posted" in jump_to_digest(lena)
    second_digest = lena.state()["messages"][-1]
    assert "1 new snippet," in second_digest["text"], "the capture is in next week's digest"


def test_stopping_the_sandbox_puts_the_clock_back(sandbox_dir: Any) -> None:
    with SandboxRunner(SandboxFiles(sandbox_dir), port=0, log_level="WARNING") as running:
        running.clock.move_to(utcnow() + timedelta(days=3))
        assert running.clock.offset > timedelta(days=2)
    assert ahead() == timedelta(0)
    with SandboxRunner(SandboxFiles(sandbox_dir), port=0, log_level="WARNING") as again:
        assert again.clock.offset > timedelta(days=2), "a restart keeps the sandbox's time"
    assert ahead() == timedelta(0)


def test_restarting_keeps_the_sandbox_and_fresh_starts_over(sandbox_dir: Any) -> None:
    files = SandboxFiles(sandbox_dir)
    with SandboxRunner(files, port=0, log_level="WARNING") as first:
        PageClient(first).send("Keep this one, please")
        kept = len(first.standin.messages(GUILD))
    assert files.exist()
    with SandboxRunner(files, port=0, log_level="WARNING") as second:
        assert not second.fresh
        assert len(second.standin.messages(GUILD)) == kept
        page = PageClient(second)
        assert any("Keep this one" in m["text"] for m in page.state()["messages"])
        page.send("/cop info")
        page.ephemeral_with("Python Guild")  # the database came back too
    with SandboxRunner(files, port=0, fresh=True, log_level="WARNING") as third:
        assert not any("Keep this one" in m["text"] for m in PageClient(third).state()["messages"])


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"text": "/nope"}, "not a valid command"),
        ({"text": "   "}, "type a message"),
        ({"text": "x" * 40_001}, "longer than Slack allows"),
        ({"text": "hi", "channel": "CNOPE"}, "does not exist"),
        ({"text": "hi", "user": "UNOBODY"}, "nobody called"),
        ({"text": "hi", "thread_ts": "1.000001"}, "thread is gone"),
    ],
)
def test_bad_input_gets_one_friendly_line(
    page: PageClient, body: dict[str, Any], error: str
) -> None:
    body.setdefault("channel", GUILD)
    answer = page.post("/sandbox/send", **body)
    assert answer["ok"] is False and error in answer["error"]


def test_invite_brings_copbot_in_as_the_readme_says(page: PageClient) -> None:
    assert page.runner.standin.bot_user_id not in page.runner.standin.channel_members(RANDOM)
    answer = page.send("/invite @copbot", channel=RANDOM)
    assert answer["ok"], answer
    bot = page.runner.standin.bot_user_id
    assert bot in page.runner.standin.channel_members(RANDOM)
    assert "has joined the channel" in page.state(RANDOM)["messages"][-1]["text"]
    again = page.send("/invite @copbot", channel=RANDOM)
    assert again["ok"] is False and "already in #random" in again["error"]
    other = page.send("/invite @lena", channel=RANDOM)
    assert other["ok"] is False and "/invite @copbot" in other["error"]
    created = page.send("/cop create Coffee Club", channel=RANDOM)
    assert created["ok"], created
    page.wait_for(
        lambda: any("now a community" in m["text"] for m in page.state(RANDOM)["messages"])
    )
    assert page.runner.standin.calls_to("conversations.join") == [], "it was already in"


def test_unreadable_requests_and_unknown_paths(page: PageClient) -> None:
    request = urllib.request.Request(page.url + "/sandbox/send", data=b"{not json", method="POST")
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(request, timeout=10)
    assert bad.value.code == 400
    assert page.post("/sandbox/react", channel=GUILD)["status"] == 400  # ts and name missing
    for path in ("/static/../runner.py", "/static/nothing.js", "/sandbox/file/F404"):
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(page.url + path, timeout=10)
        assert missing.value.code == 404
    assert page.post("/sandbox/action", source="message", action={})["ok"] is False
    home = urllib.request.urlopen(page.url + "/", timeout=10).read().decode()
    assert "/static/app.js" in home


def test_the_page_has_an_icon(page: PageClient) -> None:
    home = urllib.request.urlopen(page.url + "/", timeout=10).read().decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in home
    for path in ("/static/favicon.svg", "/favicon.ico"):
        with urllib.request.urlopen(page.url + path, timeout=10) as icon:
            assert icon.headers["Content-Type"].startswith("image/svg+xml")
            assert icon.read().startswith(b"<svg")


def test_people_carry_their_timezone_for_the_page(page: PageClient) -> None:
    zones = {p["id"]: p["tz"] for p in page.state()["people"]}
    assert zones["UPRIYA"] == "Europe/London" and zones["UJORDAN"] == "America/New_York"


def test_state_for_an_unknown_person_shows_the_first(page: PageClient) -> None:
    state = PageClient(page.runner, "UNOBODY").state()
    assert state["me"] == next(iter(PEOPLE))


def test_private_channels_and_other_peoples_dms_stay_private(runner: SandboxRunner) -> None:
    runner.standin.add_channel("CSECRET", "secret", is_private=True, members=["UPRIYA"])
    marco = PageClient(runner, "UMARCO")
    assert "secret" not in [c["name"] for c in marco.state()["channels"]]
    assert marco.state("CSECRET")["channel"] is None
    assert marco.send("hello", channel="CSECRET")["ok"] is False
    dm = runner.standin.im_for("UPRIYA").id
    assert marco.send("psst", channel=dm)["ok"] is False


def test_the_clock_says_when_several_posts_are_due_together(page: PageClient) -> None:
    # a Thursday noon: the week's prompt is behind, its digests (Friday 16:00) come next,
    # whatever day the test runs on (on a Monday morning the prompt would come first)
    now = utcnow()
    thursday = (now + timedelta(days=(3 - now.weekday()) % 7 + 7)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    assert page.runner.sandbox is not None
    page.runner.sandbox.ticker(page.runner.clock.move_to(thursday))  # the missed ones are skipped
    priya = PageClient(page.runner, "UPRIYA")  # London, as the guild's Priya: the same hours
    priya.send("/cop create Coffee Club — brewing better coffee", channel=RANDOM)
    page.wait_for(lambda: page.state(RANDOM)["messages"][-1]["is_bot"])
    label = page.state()["next_post"]["label"]
    assert label == "Weekly digest of Python Guild and 1 more post"
    assert "2 posted" in page.post("/sandbox/clock/next")["summary"]


def test_files_copbot_sends_can_be_opened(runner: SandboxRunner) -> None:
    priya = PageClient(runner, "UPRIYA")
    priya.send("/cop export md")

    def export() -> Any:
        dm = priya.state()["dm"]
        messages = priya.state(dm["id"])["messages"] if dm else []
        return next((m for m in messages if m["files"]), None)

    exported = priya.wait_for(export)["files"][0]
    assert exported["name"].endswith(".md")
    priya.ephemeral_with("Sent you")
    said = [m["text"] for m in priya.state()["messages"] if m["ephemeral"]]
    assert not [t for t in said if "Preparing" in t]  # it became the answer, as in Slack
    with urllib.request.urlopen(priya.url + exported["url"], timeout=10) as response:
        assert b"Python Guild" in response.read()
        assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert PageClient(runner, "USAM").state(priya.state()["dm"]["id"])["channel"] is None
