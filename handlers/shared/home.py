"""Building and publishing a person's App Home."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.home import (
    DETAILED_COMMUNITIES,
    HomeCommunity,
    HomeData,
    HomeItem,
    HomeTop,
    render_home,
)
from bot.blocks.kit import link
from bot.blocks.kudos import with_reason
from bot.lookups import display_names
from bot.mrkdwn import escape, truncate
from handlers.shared.privacy import visible_private_channels
from handlers.shared.roles import facilitating
from scheduler.slots import next_runs
from storage import communities, knowledge, kudos, schedule, stats, users
from storage.clock import utcnow
from storage.communities import Membership
from storage.knowledge import SnippetItem
from storage.kudos import Received
from storage.markup import mentioned_users, to_mrkdwn, with_names
from storage.models import UserProfile

SHOWN_PENDING = 10
NO_PULSE = stats.Pulse()  # the home tab lists this many; /cop pending lists them all


def _item(snippet: SnippetItem, names: dict[int, str], *, saved: bool = False) -> HomeItem:
    return HomeItem(
        saved=saved,
        snippet_id=snippet.id,
        title=snippet.title,
        text=snippet.text,
        permalink=snippet.permalink,
        status=snippet.status,
        community=names.get(snippet.community_id, ""),
    )


def _communities(
    client: WebClient,
    session: Session,
    *,
    team_id: str,
    user_id: str,
    mine: list[Membership],
    now: datetime,
) -> list[HomeCommunity]:
    """Each community's card: its home channel, its last 7 days against the 7 before, its
    next prompt and digest, and its most endorsed knowledge (a private channel's only for
    that channel's members)."""
    ids = [c.id for c in mine]
    rows = schedule.schedules_of_communities(session=session, team_id=team_id, community_ids=ids)
    kinds = ("prompt", "digest")
    upcoming = next_runs([(c, rows[c.id]) for c in mine], now, kinds)
    detailed = ids[:DETAILED_COMMUNITIES]  # the others are a line each
    pulse = stats.pulses(session=session, team_id=team_id, community_ids=detailed, now=now)
    top = knowledge.most_endorsed_in(session=session, team_id=team_id, community_ids=detailed)
    if any(t.is_private for items in top.values() for t in items):
        visible = set(visible_private_channels(client, session, team_id=team_id, user_id=user_id))
        top = {
            c: [t for t in ts if not t.is_private or t.channel_id in visible]
            for c, ts in top.items()
        }
    return [
        HomeCommunity(
            name=community.name,
            channel_id=community.channel_id,
            next_prompt=runs["prompt"],
            next_digest=runs["digest"],
            timezone=community.timezone,
            paused=community.paused,
            snippets=pulse.get(community.id, NO_PULSE).snippets,
            snippets_before=pulse.get(community.id, NO_PULSE).snippets_before,
            kudos=pulse.get(community.id, NO_PULSE).kudos,
            kudos_before=pulse.get(community.id, NO_PULSE).kudos_before,
            active=pulse.get(community.id, NO_PULSE).active_people,
            active_before=pulse.get(community.id, NO_PULSE).active_before,
            top=[
                HomeTop(t.title, t.text, t.permalink, t.endorsements)
                for t in top.get(community.id, [])
            ],
        )
        for community, runs in zip(mine, upcoming, strict=True)
    ]


def _pending(
    client: WebClient,
    session: Session,
    *,
    team_id: str,
    user_id: str,
    roles: dict[int, str],
    profile: UserProfile | None,
) -> tuple[list[SnippetItem], int]:
    """The first SHOWN_PENDING of what waits for this person's confirmation (community by
    community, in `roles`' order), and how many wait in all (at most 20 per community);
    `profile` is their fresh cached profile, if there is one."""
    facilitated = facilitating(
        session, client, team_id=team_id, user_id=user_id, roles=roles, profile=profile
    )
    waiting = knowledge.pending_in_communities(
        session=session, team_id=team_id, community_ids=[c for c in roles if c in facilitated]
    )
    pending = [ref for c in roles if c in waiting for ref in waiting[c]]
    if any(ref.is_private for ref in pending):  # a facilitator sees only what their channels hold
        visible = set(visible_private_channels(client, session, team_id=team_id, user_id=user_id))
        pending = [ref for ref in pending if not ref.is_private or ref.channel_id in visible]
    shown = knowledge.snippets_by_ids(
        session=session,
        team_id=team_id,
        snippet_ids=[ref.snippet_id for ref in pending[:SHOWN_PENDING]],
    )
    return shown, len(pending)


def _kudos_lines(
    client: WebClient, session: Session, *, team_id: str, latest: list[Received]
) -> list[str]:
    """ "from Bob for the review" for each kudos, naming givers and the people the reasons
    mention with one look-up for them all (a reaction's reason is its message's link)."""
    typed = [k.reason for k in latest if not k.reason.startswith("https://")]
    people = [k.giver_id for k in latest] + [u for r in typed for u in mentioned_users(r)]
    names = display_names(client, session, team_id=team_id, user_ids=people)
    return [
        f"from {escape(names[k.giver_id])}"
        + (
            f" for {link(k.reason, 'your message')}"
            if k.reason.startswith("https://")
            else with_reason(truncate(to_mrkdwn(with_names(k.reason, names)), 120))
        )
        for k in latest
    ]


def home_data(client: WebClient, session: Session, *, team_id: str, user_id: str) -> HomeData:
    """Everything the home tab shows one person, in as many queries for 20 communities as
    for one."""
    now = utcnow()
    mine = communities.memberships_in_brief(session=session, team_id=team_id, user_id=user_id)
    names = {c.id: c.name for c in mine}
    home_communities = _communities(
        client, session, team_id=team_id, user_id=user_id, mine=mine, now=now
    )
    roles = {c.id: c.role for c in mine}
    stored = users.stored_profile(session=session, team_id=team_id, user_id=user_id)
    fresh = stored if stored is not None and users.is_fresh(stored, now=now) else None
    pending, pending_total = _pending(
        client, session, team_id=team_id, user_id=user_id, roles=roles, profile=fresh
    )
    contributions = knowledge.recent_of(session=session, team_id=team_id, user_id=user_id)
    elsewhere = {mine.item.community_id for mine in contributions} - names.keys()
    if elsewhere:
        found = communities.names_of(session=session, team_id=team_id, community_ids=elsewhere)
        names.update({c: found.get(c, "") for c in elsewhere})
    month = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    count, latest = kudos.received_since(
        session=session, team_id=team_id, receiver_id=user_id, since=month, limit=3
    )
    kudos_lines = _kudos_lines(client, session, team_id=team_id, latest=latest)
    return HomeData(
        communities=home_communities,
        contributions=[_item(m.item, names, saved=not m.wrote) for m in contributions],
        kudos_count=count,
        kudos_lines=kudos_lines,
        pending=[_item(s, names) for s in pending],
        pending_total=pending_total,
        muted=stored is not None and stored.muted,
    )


def publish_home(
    client: WebClient, session: Session, *, team_id: str, user_id: str, note: str = ""
) -> None:
    """Render and publish someone's home tab (with `note`, what their click just did)."""
    data = home_data(client, session, team_id=team_id, user_id=user_id)
    client.views_publish(user_id=user_id, view=render_home(data, note=note))
