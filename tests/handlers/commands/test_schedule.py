"""/cop schedule, /cop prompt, /cop digest and /cop resume."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.slack_client import make_client
from scheduler.tick import tick
from storage import communities, db, schedule
from storage.clock import utcnow
from storage.models import ScheduledPost
from tests.harness import TEAM, Copbot, flatten_text


def _guild(copbot: Copbot):
    copbot.cop("/cop create Python Guild — all things Python")
    with db.session() as session:
        return communities.community_for_channel(
            session=session, team_id=TEAM, channel_id="CPYTHON"
        )


def test_schedule_is_for_facilitators(copbot: Copbot) -> None:
    _guild(copbot)
    assert "Only facilitators" in copbot.cop("/cop schedule digest fri 15:00", user="UBOB")


def test_changing_the_schedule_from_the_command_line(copbot: Copbot) -> None:
    _guild(copbot)
    reply = copbot.cop("/cop schedule digest thursday 4:30pm")
    assert "Weekly digest: Thursdays at 16:30, next Thu" in reply
    assert "Europe/Berlin" in copbot.cop("/cop schedule timezone Europe/Berlin")
    assert "Kudos summary: off" in copbot.cop("/cop schedule off kudos")
    assert "Kudos summary: Fridays at 16:05" in copbot.cop("/cop schedule on summary")
    info = copbot.cop("/cop info")
    assert "*Schedule* (Europe/Berlin)" in info and "Thursdays at 16:30" in info


def test_schedule_errors_say_what_to_type(copbot: Copbot) -> None:
    _guild(copbot)
    assert "not a day of the week" in copbot.cop("/cop schedule digest someday 16:00")
    assert "not a time" in copbot.cop("/cop schedule digest fri 25:00")
    assert "isn't a timezone I know" in copbot.cop("/cop schedule timezone Mars/Olympus")
    assert "isn't something copbot posts" in copbot.cop("/cop schedule off memes")
    assert "I didn't get that" in copbot.cop("/cop schedule whenever")


def test_the_prompt_bank(copbot: Copbot) -> None:
    _guild(copbot)
    listing = copbot.cop("/cop prompt list")
    assert "*36 prompts*" in listing
    added = copbot.cop("/cop prompt add What did you automate this week?")
    assert "Added prompt" in added
    listing = copbot.cop("/cop prompt list")
    assert ":arrow_right: `" in listing and "What did you automate this week?" in listing
    copbot.cop("/cop prompt now")
    post = copbot.standin.last_message("CPYTHON")
    assert "What did you automate this week?" in flatten_text(post["blocks"])
    assert "<@" not in flatten_text(post["blocks"])
    copbot.cop("/cop prompt now")
    assert "What did you automate" not in flatten_text(
        copbot.standin.last_message("CPYTHON")["blocks"]
    )
    prompt_id = listing.text.split(":arrow_right: `")[1].split("`")[0]
    assert "Removed prompt" in copbot.cop(f"/cop prompt remove {prompt_id}")
    assert "There is no prompt `99999`" in copbot.cop("/cop prompt remove 99999")
    assert "Write the question" in copbot.cop("/cop prompt add ?")
    assert "Try `/cop prompt add" in copbot.cop("/cop prompt shuffle")
    assert "Only facilitators" in copbot.cop("/cop prompt now", user="UBOB")


def test_digest_preview_and_post_once(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop share Use ruff for linting #python", user="UBOB")
    copbot.cop("/cop kudos @bob for the linting tip")
    preview = copbot.cop("/cop digest")
    assert "the week in review" in preview and "Use ruff for linting" in preview
    assert preview.responses[0]["response_type"] == "ephemeral"
    before = len(copbot.standin.messages("CPYTHON"))
    assert "Posted this week's digest" in copbot.cop("/cop digest post")
    assert len(copbot.standin.messages("CPYTHON")) == before + 1
    posted = copbot.standin.last_message("CPYTHON")
    assert "Bob Builder" in flatten_text(posted["blocks"]) and "<@UBOB>" not in flatten_text(
        posted["blocks"]
    )
    assert "already gone out" in copbot.cop("/cop digest post")
    assert "Only facilitators" in copbot.cop("/cop digest", user="UBOB")


def test_the_next_digest_starts_where_the_last_one_ended(copbot: Copbot) -> None:
    _guild(copbot)
    copbot.cop("/cop share Use ruff for linting #python", user="UBOB")
    copbot.cop("/cop digest post")
    assert "Use ruff for linting" not in copbot.cop("/cop digest")  # it has been told already
    copbot.cop("/cop share Pin your dependencies #python", user="UBOB")
    preview = copbot.cop("/cop digest")
    assert "Pin your dependencies" in preview and "Use ruff for linting" not in preview


def test_resume_a_paused_community(copbot: Copbot) -> None:
    community = _guild(copbot)
    assert "isn't paused" in copbot.cop("/cop resume")
    with db.session() as session:
        schedule.pause_community(
            session=session, community=community, reason="its channel was archived"
        )
    assert "Paused:* its channel was archived" in copbot.cop("/cop info")
    assert "running again" in copbot.cop("/cop resume")
    assert "Paused" not in copbot.cop("/cop info")


def _ledger(community_id: int) -> list[tuple[str, str, int]]:
    with db.session() as session:
        rows = session.exec(
            select(ScheduledPost).where(ScheduledPost.community_id == community_id)
        ).all()
        return sorted((r.kind, r.status, r.attempts) for r in rows)


def test_a_digest_posted_by_hand_that_slack_refuses_is_retried_by_the_scheduler(
    copbot: Copbot,
) -> None:
    """Through the one post path: a failed manual post is a failed ledger row, never a claim
    left hanging, and the tick makes it once when Slack is back."""
    community = _guild(copbot)
    copbot.standin.fail("chat.postMessage", error="internal_error")
    reply = copbot.cop("/cop digest post")
    assert "didn't go out (Slack: internal_error)" in reply and "try again" in reply
    assert _ledger(community.id) == [("digest", "failed", 1)]
    client = make_client(token=copbot.standin.bot_token, base_url=copbot.standin.api_url)
    later = utcnow() + timedelta(minutes=3)
    report = tick(now=later, client_for=lambda team: client, catchup_hours=12, claimed_by="t")
    assert len(report.posted) == 1
    assert _ledger(community.id) == [("digest", "posted", 2)]
    assert "already gone out" in copbot.cop("/cop digest post")


def test_a_digest_posted_by_hand_into_an_archived_channel_pauses_the_community(
    copbot: Copbot,
) -> None:
    community = _guild(copbot)
    copbot.standin.archive_channel("CPYTHON")
    reply = copbot.cop("/cop digest post")
    assert "is_archived" in reply and "/cop resume" in reply
    assert _ledger(community.id) == [("digest", "failed", 1)]
    with db.session() as session:
        paused = communities.get_community(session=session, team_id=TEAM, community_id=community.id)
    assert paused is not None and paused.paused_reason == "its channel was archived"


def test_prompt_now_posts_the_next_prompt_each_time_and_records_each(copbot: Copbot) -> None:
    community = _guild(copbot)
    copbot.cop("/cop prompt now")
    copbot.cop("/cop prompt now")
    prompts = [
        m for m in copbot.standin.messages("CPYTHON") if "week's question" in m.get("text", "")
    ]
    assert len(prompts) == 2 and prompts[0]["text"] != prompts[1]["text"]
    assert _ledger(community.id) == [("prompt", "posted", 1), ("prompt", "posted", 1)]


def test_prompt_now_is_this_weeks_prompt_and_the_scheduled_one_does_not_repeat_it(
    copbot: Copbot,
) -> None:
    community = _guild(copbot)
    now = utcnow()
    copbot.cop(f"/cop schedule prompt {now:%A} {now:%H:%M}")  # due at this very minute
    assert "this week's prompt, so the scheduled one won't repeat it" in copbot.cop(
        "/cop prompt now"
    )
    client = make_client(token=copbot.standin.bot_token, base_url=copbot.standin.api_url)
    report = tick(
        now=now + timedelta(minutes=3), client_for=lambda team: client, catchup_hours=12,
        claimed_by="t",
    )  # fmt: skip
    assert [kind for _, kind, _ in report.posted] == []
    assert "extra prompt" in copbot.cop("/cop prompt now")
    assert _ledger(community.id) == [("prompt", "posted", 1), ("prompt", "posted", 1)]


def test_a_schedule_change_says_what_changed(copbot: Copbot) -> None:
    _guild(copbot)
    changed = copbot.cop("/cop schedule digest thursday 15:00")
    assert "Saved. Weekly digest: Fridays at 16:00 → Thursdays at 15:00." in changed
    assert "Nothing changed" in copbot.cop("/cop schedule digest thu 15:00")
    assert "Kudos summary: Fridays at 16:05 → off" in copbot.cop("/cop schedule off kudos")
    assert "Timezone: UTC → Europe/Berlin" in copbot.cop("/cop schedule timezone Europe/Berlin")
    assert "Saved" not in copbot.cop("/cop schedule show")
