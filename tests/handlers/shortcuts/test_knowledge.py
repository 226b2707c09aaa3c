"""The "Save to knowledge" message shortcut and the "Share knowledge" global shortcut."""

from __future__ import annotations

import json

from sandbox.slack import (
    message_action_payload,
    shortcut_payload,
    state_value,
    view_submission_payload,
)
from tests.handlers.knowledge_helpers import snippet_at, tags_at
from tests.harness import Copbot, flatten_text


def _save(copbot: Copbot, ts: str, *, user: str = "UALICE", channel: str = "CPYTHON") -> dict:
    message = copbot.standin.message(channel, ts)  # a shortcut carries the whole message
    copbot.interactive(
        message_action_payload(
            user_id=user,
            callback_id="save_knowledge",
            channel_id=channel,
            message=message,
            response_url=copbot.standin.new_response_url(channel),
        )
    )
    return copbot.standin.calls_to("views.open")[-1].args["view"]


def _submit(copbot: Copbot, view: dict, values: dict, user: str = "UALICE"):
    return copbot.interactive(
        view_submission_payload(
            user_id=user,
            callback_id=view["callback_id"],
            private_metadata=view.get("private_metadata", ""),
            values={
                block: {action: state_value(v, element=kind)} for block, action, v, kind in values
            },
        )
    )


def test_save_a_message_with_a_title_and_tags(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("Run tests in parallel with pytest-xdist -n auto", user="UBOB")
    view = _save(copbot, ts)
    assert view["callback_id"] == "save_knowledge"
    assert "Saves to *Python Guild*" in flatten_text(view)
    answer = _submit(
        copbot,
        view,
        [
            ("title", "title_input", "Parallel tests", "plain_text_input"),
            ("tags", "tags_input", "#Testing, speed", "plain_text_input"),
        ],
    )
    assert answer.status == 200
    snippet = snippet_at(ts)
    assert (snippet.title, snippet.source, snippet.author_id, snippet.curator_id) == (
        "Parallel tests",
        "shortcut",
        "UBOB",
        "UALICE",
    )
    assert tags_at(ts) == ["speed", "testing"]
    assert "Parallel tests" in copbot.cop("/cop search xdist")
    assert "Python Guild" in copbot.standin.ephemerals[-1]["text"]


def test_saving_from_a_channel_that_is_no_community_asks_which_community(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("Use tox for matrices", channel="CRANDOM", user="UBOB")
    view = _save(copbot, ts, channel="CRANDOM")
    select = next(b for b in view["blocks"] if b.get("block_id") == "community")
    [option] = select["element"]["options"]
    _submit(
        copbot,
        view,
        [
            ("title", "title_input", "tox", "plain_text_input"),
            ("community", "community_select", option["value"], "static_select"),
        ],
    )
    snippet = snippet_at(ts, "CRANDOM")
    assert snippet is not None and snippet.status == "confirmed"


def test_a_pick_of_a_community_you_do_not_belong_to_is_refused(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("tip", channel="CRANDOM")
    view = _save(copbot, ts, channel="CRANDOM")
    answer = _submit(
        copbot,
        view,
        [
            ("title", "title_input", "t", "plain_text_input"),
            ("community", "community_select", "999", "static_select"),
        ],
    )
    assert answer.json()["response_action"] == "errors"
    assert snippet_at(ts, "CRANDOM") is None


def test_saving_without_any_community_explains(copbot: Copbot) -> None:
    ts = copbot.say("tip", channel="CRANDOM")
    view = _save(copbot, ts, user="UCAROL", channel="CRANDOM")
    assert "aren't in any community yet" in flatten_text(view)


def test_saving_an_app_message_explains(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    posted = copbot.standin.add_message("CPYTHON", "UOTHERBOT", "Deploy done", bot_id="B1")
    copbot.interactive(
        message_action_payload(
            user_id="UALICE",
            callback_id="save_knowledge",
            channel_id="CPYTHON",
            message={
                "ts": posted["ts"],
                "user": "UOTHERBOT",
                "text": "Deploy done",
                "bot_id": "B1",
            },
            response_url=copbot.standin.new_response_url("CPYTHON"),
        )
    )
    assert "came from an app" in flatten_text(
        copbot.standin.calls_to("views.open")[-1].args["view"]
    )


def test_a_forwarded_message_is_saved_with_what_it_shares(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    original = copbot.say(
        "Retry with backoff & jitter #resilience", user="UCAROL", channel="CRANDOM", deliver=False
    )
    ts = copbot.forward(original, user="UBOB", channel="CRANDOM", to="CPYTHON")
    view = _save(copbot, ts)
    assert view["callback_id"] == "save_knowledge"  # not "came from an app"
    shown = flatten_text(view)
    assert "Retry with backoff &amp; jitter" in shown and "@Carol Danvers" in shown
    title = next(b for b in view["blocks"] if b.get("block_id") == "title")
    assert title["element"]["initial_value"] == "Retry with backoff & jitter #resilience"
    _submit(copbot, view, [("title", "title_input", "Backoff", "plain_text_input")])
    snippet = snippet_at(ts)
    assert (snippet.title, snippet.author_id, snippet.curator_id) == ("Backoff", "UBOB", "UALICE")
    assert snippet.text.startswith("&gt; Retry with backoff &amp; jitter #resilience\n— <@UCAROL>")
    assert tags_at(ts) == ["resilience"]


def test_saving_an_already_captured_message_gives_it_the_title_not_an_endorsement(
    copbot: Copbot,
) -> None:
    copbot.cop("/cop create Python Guild")
    ts = copbot.say("Use Decimal for money", user="UBOB")
    copbot.react(ts, user="UBOB")
    view = _save(copbot, ts)
    _submit(copbot, view, [("title", "title_input", "Money & maths", "plain_text_input")])
    snippet = snippet_at(ts)
    # the form's raw "&" is stored as markup; the count is still the one person who reacted
    assert (snippet.title, snippet.endorsements) == ("Money &amp; maths", 1)


def test_share_knowledge_from_anywhere(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.interactive(shortcut_payload(user_id="UALICE", callback_id="share_knowledge"))
    view = copbot.standin.calls_to("views.open")[-1].args["view"]
    [option] = next(b for b in view["blocks"] if b.get("block_id") == "community")["element"][
        "options"
    ]
    _submit(
        copbot,
        view,
        [
            ("community", "community_select", option["value"], "static_select"),
            ("title", "title_input", "Retry with tenacity", "plain_text_input"),
            (
                "text",
                "text_input",
                "tenacity gives you backoff and jitter #resilience",
                "plain_text_input",
            ),
            ("tags", "tags_input", "python", "plain_text_input"),
        ],
    )
    post = copbot.standin.last_message("CPYTHON")
    assert "Retry with tenacity" in json.dumps(post["blocks"])
    assert tags_at(post["ts"]) == ["python", "resilience"]
    assert "tenacity" in copbot.cop("/cop search backoff")


def test_share_knowledge_needs_text(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.interactive(shortcut_payload(user_id="UALICE", callback_id="share_knowledge"))
    view = copbot.standin.calls_to("views.open")[-1].args["view"]
    [option] = next(b for b in view["blocks"] if b.get("block_id") == "community")["element"][
        "options"
    ]
    answer = _submit(
        copbot,
        view,
        [
            ("community", "community_select", option["value"], "static_select"),
            ("title", "title_input", "x", "plain_text_input"),
            ("text", "text_input", "   ", "plain_text_input"),
        ],
    )
    assert "Write what you know first" in answer.json()["errors"]["text"]


def _starts_on(view: dict) -> str:
    """The community the share form has chosen when it opens (its name as shown)."""
    select = next(b for b in view["blocks"] if b.get("block_id") == "community")["element"]
    return select["initial_option"]["text"]["text"]


def _open_share(copbot: Copbot, user: str = "UALICE") -> dict:
    copbot.interactive(shortcut_payload(user_id=user, callback_id="share_knowledge"))
    return copbot.standin.calls_to("views.open")[-1].args["view"]


def test_the_share_form_starts_on_the_community_i_last_took_part_in(copbot: Copbot) -> None:
    copbot.cop("/cop create Python Guild")
    copbot.cop("/cop create Data Guild", channel="CRANDOM")  # first by name, and joined last
    copbot.cop("/cop share Parquet beats CSV for wide tables", channel="CRANDOM")
    assert _starts_on(_open_share(copbot)) == "Data Guild"
    copbot.cop("/cop kudos @alice for reviewing my PR", user="UBOB")  # in #python
    assert _starts_on(_open_share(copbot)) == "Python Guild"
    copbot.say("anyone tried polars?", user="UALICE", channel="CRANDOM")
    assert _starts_on(_open_share(copbot)) == "Data Guild"
    # Bob, in both too, has only taken part in Python Guild
    assert _starts_on(_open_share(copbot, user="UBOB")) == "Python Guild"
