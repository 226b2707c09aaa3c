"""The recent-message cache of community channels, so capture and stats need no history calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete, select

from storage.clock import utcnow
from storage.models import ChannelMessage, Snippet
from storage.types import no_nul
from storage.upsert import insert_if_absent


def ts_to_datetime(ts: str) -> datetime:
    """A Slack message ts ("1700000000.000100") as an aware UTC datetime."""
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (TypeError, ValueError, OverflowError):
        return utcnow()


def cache_message(
    *,
    session: Session,
    team_id: str,
    channel_id: str,
    ts: str,
    user_id: str,
    text: str,
    thread_ts: str | None = None,
) -> bool:
    """Remember a message seen in a community channel; False if it was already cached.

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        channel_id: where it was posted.
        ts: its Slack timestamp (its id within the channel).
        user_id: its author.
        text: its text as Slack sent it.
        thread_ts: the thread root's ts, for replies.
    """
    inserted = insert_if_absent(
        session=session,
        model=ChannelMessage,
        values={
            "team_id": team_id,
            "channel_id": channel_id,
            "ts": ts,
            "thread_ts": thread_ts if thread_ts and thread_ts != ts else None,
            "user_id": user_id,
            "text": no_nul(text),
            "posted_at": ts_to_datetime(ts),
            "received_at": utcnow(),
        },
    )
    session.commit()
    return inserted


def cached_message(
    *, session: Session, team_id: str, channel_id: str, ts: str
) -> ChannelMessage | None:
    """A cached message that has not been deleted, if copbot saw it."""
    query = select(ChannelMessage).where(
        ChannelMessage.team_id == team_id,
        ChannelMessage.channel_id == channel_id,
        ChannelMessage.ts == ts,
        col(ChannelMessage.deleted_at).is_(None),
    )
    return session.exec(query).first()


def thread_replies(
    *, session: Session, team_id: str, channel_id: str, thread_ts: str
) -> list[ChannelMessage]:
    """Cached replies of a thread, oldest first."""
    query = (
        select(ChannelMessage)
        .where(
            ChannelMessage.team_id == team_id,
            ChannelMessage.channel_id == channel_id,
            ChannelMessage.thread_ts == thread_ts,
            col(ChannelMessage.deleted_at).is_(None),
        )
        .order_by(col(ChannelMessage.ts))
    )
    return list(session.exec(query))


def edit_cached_message(
    *, session: Session, team_id: str, channel_id: str, ts: str, text: str
) -> ChannelMessage | None:
    """Apply an edit to a cached message; returns it (None when it was never cached).

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        channel_id: its channel.
        ts: its ts.
        text: the new text.
    """
    message = cached_message(session=session, team_id=team_id, channel_id=channel_id, ts=ts)
    if message is None:
        return None
    message.text = no_nul(text)
    message.edited_at = utcnow()
    session.add(message)
    session.commit()
    return message


def delete_cached_message(*, session: Session, team_id: str, channel_id: str, ts: str) -> None:
    """Mark a cached message deleted (it stops counting anywhere).

    Args:
        session: the open session (committed here).
        team_id: the workspace.
        channel_id: its channel.
        ts: its ts.
    """
    message = cached_message(session=session, team_id=team_id, channel_id=channel_id, ts=ts)
    if message is not None:
        message.deleted_at = utcnow()
        message.text = ""
        session.add(message)
        session.commit()


def purge_messages(*, session: Session, retention_days: int, now: datetime | None = None) -> int:
    """Forget cached messages older than the retention period, except captured ones.

    Args:
        session: the open session (committed here).
        retention_days: COP_MESSAGE_RETENTION_DAYS.
        now: the current time, for tests.
    """
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    captured = select(Snippet.message_ts).where(
        Snippet.team_id == ChannelMessage.team_id, Snippet.channel_id == ChannelMessage.channel_id
    )
    statement = delete(ChannelMessage).where(
        col(ChannelMessage.posted_at) < cutoff, col(ChannelMessage.ts).not_in(captured)
    )
    result = session.execute(statement)
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]
