"""The three scheduled posts: what each says and where it goes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.digest import render_digest, render_kudos_summary, render_prompt
from bot.blocks.kit import Message
from bot.lookups import display_names
from scheduler.periods import days_ago
from storage import communities, prompts
from storage.digest import DigestData, digest_data
from storage.kudos import kudos_week
from storage.models import Community
from storage.models.schedule import KIND_DIGEST, KIND_KUDOS, KIND_PROMPT


@dataclass(frozen=True)
class Outcome:
    """What a job did: posted (channel and ts), or skipped with a reason."""

    channel_id: str = ""
    message_ts: str = ""
    prompt_id: int | None = None
    skipped: str = ""


def home_channel(session: Session, community: Community) -> str:
    """The channel scheduled posts go to: the community's first."""
    assert community.id is not None
    channels = communities.channels_of(session=session, community_id=community.id)
    return channels[0].channel_id if channels else ""


def _people(data: DigestData) -> list[str]:
    people = [s.author_id for s in data.top_snippets]
    people += data.first_time_contributors + data.new_members
    people += [u for u, _ in data.kudos.top_receivers]
    if data.prompt:
        people += [author for author, _, _ in data.prompt.replies]
    return people


def digest_message(
    client: WebClient, session: Session, *, community: Community, now: datetime
) -> Message:
    """The digest of the seven days up to `now` (the preview of `/cop digest` and the post).

    Seven days, not the calendar week: what is captured after Friday's digest, over the
    weekend, is in the next one instead of in none.
    """
    start, previous_start = days_ago(now, 7), days_ago(now, 14)
    data = digest_data(
        session=session, community=community, start=start, end=now, previous_start=previous_start
    )
    names = display_names(client, session, team_id=community.team_id, user_ids=_people(data))
    return render_digest(data, names)


def kudos_message(
    client: WebClient, session: Session, *, community: Community, now: datetime
) -> Message:
    """The kudos of the seven days up to `now`."""
    assert community.id is not None
    start = days_ago(now, 7)
    week = kudos_week(session=session, community_id=community.id, start=start, end=now)
    people = [u for k in week.kudos for u in (k.giver_id, k.receiver_id)]
    people += [u for u, _ in week.shared_knowledge + week.curated_knowledge]
    names = display_names(client, session, team_id=community.team_id, user_ids=people)
    return render_kudos_summary(community_name=community.name, week=week, names=names)


def post_prompt(
    client: WebClient, session: Session, *, community: Community, now: datetime
) -> Outcome:
    """Post the next prompt of the bank (never repeating until the bank is used up)."""
    prompt = prompts.next_prompt(session=session, community=community)
    if prompt is None:
        return Outcome(skipped="the prompt bank is empty: add one with /cop prompt add")
    channel_id = home_channel(session, community)
    message = render_prompt(
        community_name=community.name, domain=community.domain, text=prompt.text
    )
    answer = client.chat_postMessage(channel=channel_id, unfurl_links=False, **message.as_kwargs())
    prompts.mark_used(session=session, prompt=prompt, when=now)
    return Outcome(channel_id=channel_id, message_ts=str(answer["ts"]), prompt_id=prompt.id)


def post_digest(
    client: WebClient, session: Session, *, community: Community, now: datetime
) -> Outcome:
    """Post this week's digest in the community's channel."""
    channel_id = home_channel(session, community)
    message = digest_message(client, session, community=community, now=now)
    answer = client.chat_postMessage(channel=channel_id, unfurl_links=False, **message.as_kwargs())
    return Outcome(channel_id=channel_id, message_ts=str(answer["ts"]))


def post_kudos_summary(
    client: WebClient, session: Session, *, community: Community, now: datetime
) -> Outcome:
    """Post this week's kudos summary in the community's channel."""
    channel_id = home_channel(session, community)
    message = kudos_message(client, session, community=community, now=now)
    answer = client.chat_postMessage(channel=channel_id, unfurl_links=False, **message.as_kwargs())
    return Outcome(channel_id=channel_id, message_ts=str(answer["ts"]))


JOBS = {KIND_PROMPT: post_prompt, KIND_DIGEST: post_digest, KIND_KUDOS: post_kudos_summary}
