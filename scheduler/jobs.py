"""What each scheduled post says: the draft of a prompt, a digest and a kudos summary.

A draft is what would go out now: the rendered message, or why nothing should. Drafting
touches no channel, so `/cop digest` previews the very message the scheduler would post;
scheduler/posts.py is what posts a draft and records it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.digest import render_digest, render_kudos_summary, render_prompt
from bot.blocks.kit import Message
from bot.lookups import display_names, named, permalink
from scheduler.periods import days_ago
from storage import communities, prompts, schedule
from storage.digest import DigestData, digest_data
from storage.kudos import kudos_week
from storage.markup import mentioned_users
from storage.models import Community
from storage.models.schedule import KIND_DIGEST as DIGEST_KIND
from storage.models.schedule import KIND_KUDOS as KUDOS_KIND


@dataclass(frozen=True)
class Draft:
    """A post ready to go (`message`), or the reason none will (`skipped`)."""

    message: Message | None = None
    skipped: str = ""
    prompt_id: int | None = None


NO_KUDOS = "no kudos and no knowledge shared this week"


def since_last(session: Session, community: Community, kind: str, now: datetime) -> datetime:
    """Where a weekly post's window starts: seven days back, or the last such post if later."""
    assert community.id is not None
    start = days_ago(now, 7)
    last = schedule.last_post(session=session, community_id=community.id, kind=kind)
    if last is not None and last.posted_at is not None and start < last.posted_at < now:
        return last.posted_at
    return start


def _people(data: DigestData) -> list[str]:
    people = [s.author_id for s in data.top_snippets]
    people += data.first_time_contributors + data.new_members
    people += [q.asker_id for q in data.open_questions]
    people += [u for u, _ in data.kudos.top_receivers]
    if data.prompt:
        people += [author for author, _, _ in data.prompt.replies]
        people += mentioned_users(data.prompt.text)
        people += [u for _, body, _ in data.prompt.replies for u in mentioned_users(body)]
    return people


def draft_digest(
    client: WebClient, session: Session, *, community: Community, now: datetime
) -> Draft:
    """The digest of what is new since the last digest (seven days at most) up to `now`.

    Seven days, not the calendar week: what is captured after Friday's digest, over the
    weekend, is in the next one instead of in none. And never before the last digest that
    went out: a preview on Monday does not show Friday's digest again.
    """
    assert community.id is not None
    start = since_last(session, community, DIGEST_KIND, now)
    previous_start = start - (now - start)
    home = communities.home_channel(session=session, community_id=community.id)
    data = digest_data(
        session=session,
        community=community,
        start=start,
        end=now,
        previous_start=previous_start,
        shown_in=home.channel_id if home else "",
    )
    names = display_names(client, session, team_id=community.team_id, user_ids=_people(data))
    links = {  # the few open questions the digest links to
        q.id: permalink(client, q.channel_id, q.message_ts)
        for q in data.open_questions
        if q.id is not None
    }
    return Draft(message=render_digest(data, names, links))


def draft_kudos_summary(
    client: WebClient, session: Session, *, community: Community, now: datetime
) -> Draft:
    """The kudos since the last kudos summary (seven days at most) up to `now`; none in a
    week without kudos or shared knowledge (the digest's quiet-week note already asks for
    them: a second "nothing happened" minutes later is noise)."""
    assert community.id is not None
    start = since_last(session, community, KUDOS_KIND, now)
    home = communities.home_channel(session=session, community_id=community.id)
    week = kudos_week(
        session=session,
        community_id=community.id,
        start=start,
        end=now,
        shown_in=home.channel_id if home else "",
    )
    if not (week.kudos or week.shared_knowledge):
        return Draft(skipped=NO_KUDOS)
    people = [
        u for k in week.kudos for u in (k.giver_id, k.receiver_id, *mentioned_users(k.reason))
    ]
    people += [u for text in week.quotes.values() for u in mentioned_users(text)]
    people += [u for u, _ in week.shared_knowledge + week.curated_knowledge]
    names = display_names(client, session, team_id=community.team_id, user_ids=people)
    return Draft(
        message=render_kudos_summary(community_name=community.name, week=week, names=names)
    )


def draft_prompt(
    client: WebClient, session: Session, *, community: Community, now: datetime
) -> Draft:
    """The next prompt of the bank (never repeating until the bank is used up)."""
    prompt = prompts.next_prompt(session=session, community=community)
    if prompt is None:
        return Draft(skipped="the prompt bank is empty: add one with /cop prompt add")
    text = named(client, session, team_id=community.team_id, text=prompt.text)
    message = render_prompt(community_name=community.name, domain=community.domain, text=text)
    return Draft(message=message, prompt_id=prompt.id)


def prompt_posted(session: Session, draft: Draft, now: datetime) -> None:
    """The prompt went out: it moves to the back of the bank."""
    prompt = prompts.get_prompt(session=session, prompt_id=draft.prompt_id or 0)
    if prompt is not None:
        prompts.mark_used(session=session, prompt=prompt, when=now)
