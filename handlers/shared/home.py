"""Building and publishing a person's App Home."""

from __future__ import annotations

from datetime import UTC

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.home import HomeCommunity, HomeData, HomeItem, render_home
from bot.lookups import display_names, named
from bot.mrkdwn import escape, truncate
from handlers.shared.privacy import visible_private_channels
from handlers.shared.roles import is_facilitator
from scheduler.slots import schedule_lines
from storage import communities, knowledge, kudos, users
from storage.clock import utcnow
from storage.markup import to_mrkdwn
from storage.models import Snippet


def _item(snippet: Snippet, names: dict[int, str]) -> HomeItem:
    return HomeItem(
        snippet_id=snippet.id or 0,
        title=snippet.title,
        text=snippet.text,
        permalink=snippet.permalink,
        status=snippet.status,
        community=names.get(snippet.community_id, ""),
    )


def home_data(client: WebClient, session: Session, *, team_id: str, user_id: str) -> HomeData:
    """Everything the home tab shows one person."""
    now = utcnow()
    mine = communities.communities_of_user(session=session, team_id=team_id, user_id=user_id)
    names = {c.id or 0: c.name for c in mine}
    home_communities, pending = [], []
    for community in mine:
        assert community.id is not None
        lines = {line.kind: line for line in schedule_lines(session, community, now)}
        home = communities.home_channel(session=session, community_id=community.id)
        home_communities.append(
            HomeCommunity(
                name=community.name,
                channel_id=home.channel_id if home else "",
                next_prompt=lines["prompt"].next_run if lines["prompt"].enabled else "",
                next_digest=lines["digest"].next_run if lines["digest"].enabled else "",
                paused=community.paused,
            )
        )
        if is_facilitator(session, client, community, user_id):
            pending += knowledge.pending_snippets(session=session, community_id=community.id)
    if any(s.is_private for s in pending):  # a facilitator sees only what their channels hold
        visible = set(visible_private_channels(client, session, team_id=team_id, user_id=user_id))
        pending = [s for s in pending if not s.is_private or s.channel_id in visible]
    contributions = knowledge.recent_by_author(session=session, team_id=team_id, author_id=user_id)
    for snippet in contributions:
        if snippet.community_id not in names:
            other = communities.get_community(
                session=session, team_id=team_id, community_id=snippet.community_id
            )
            names[snippet.community_id] = other.name if other else ""
    month = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    count, latest = kudos.received_since(
        session=session, team_id=team_id, receiver_id=user_id, since=month, limit=3
    )
    givers = display_names(client, session, team_id=team_id, user_ids=[k.giver_id for k in latest])
    kudos_lines = [
        f"from {escape(givers[k.giver_id])}: "
        + (
            "their message"
            if k.reason.startswith("https://")
            else truncate(to_mrkdwn(named(client, session, team_id=team_id, text=k.reason)), 120)
        )
        for k in latest
    ]
    return HomeData(
        communities=home_communities,
        contributions=[_item(s, names) for s in contributions],
        kudos_count=count,
        kudos_lines=kudos_lines,
        pending=[_item(s, names) for s in pending[:10]],
        pending_total=len(pending),
        muted=users.is_muted(session=session, team_id=team_id, user_id=user_id),
    )


def publish_home(client: WebClient, session: Session, *, team_id: str, user_id: str) -> None:
    """Render and publish someone's home tab."""
    data = home_data(client, session, team_id=team_id, user_id=user_id)
    client.views_publish(user_id=user_id, view=render_home(data))
