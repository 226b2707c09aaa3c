"""The Confirm and Reject buttons on pending knowledge (/cop pending and App Home)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.kit import Message, link, title_of
from bot.errors import CopError
from bot.lookups import display_names, team_of
from bot.mrkdwn import escape, truncate
from handlers.shared.forms import small_number
from handlers.shared.home import publish_home
from handlers.shared.knowledge import refresh_shared_post
from handlers.shared.notify import Told, tell_privately
from handlers.shared.pending import pending_message
from handlers.shared.privacy import may_see
from handlers.shared.roles import require_facilitator
from storage import communities, db, knowledge
from storage.markup import to_mrkdwn
from storage.models import Community, Snippet
from storage.models.knowledge import STATUS_CONFIRMED, STATUS_PENDING


def _pending_snippet(
    client: WebClient, session: Session, *, team_id: str, user_id: str, value: Any, what: str
) -> tuple[Snippet, Community]:
    """The snippet a button names and its community, for one of its facilitators."""
    snippet_id = small_number(value) or 0
    snippet = knowledge.snippet_by_id(session=session, team_id=team_id, snippet_id=snippet_id)
    if snippet is None:
        raise CopError("That snippet no longer exists.")
    community = communities.get_community(
        session=session, team_id=team_id, community_id=snippet.community_id
    )
    assert community is not None
    require_facilitator(session, client, community, user_id, what=what)
    if not may_see(client, session, user_id=user_id, item=snippet):
        raise CopError(
            "That knowledge is in a private channel you are not in: a facilitator who is "
            "there can settle it."
        )
    return snippet, community


def _quoted(snippet: Snippet) -> str:
    return f"“{escape(truncate(title_of(snippet.title, snippet.text), 80))}”"


def _show_again(
    client: WebClient, session: Session, body: dict[str, Any], community: Community, note: str
) -> Message | None:
    """The list the button was on, without what was settled: App Home (published here), or
    /cop pending's message (for the caller to respond with, once the session is over)."""
    if not body.get("response_url"):  # clicked on the home tab: it says what was done
        publish_home(
            client, session, team_id=community.team_id, user_id=body["user"]["id"], note=note
        )
        return None
    return pending_message(client, session, community, viewer=body["user"]["id"], note=note)


def _respond(respond: Respond, message: Message | None) -> None:
    if message is not None:
        respond(replace_original=True, response_type="ephemeral", **message.as_kwargs())


def confirm_snippet_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """A facilitator confirms one pending snippet; the list is shown again without it."""
    ack()
    team_id, user_id = team_of(context, body), body["user"]["id"]
    with db.session() as session:
        snippet, community = _pending_snippet(
            client,
            session,
            team_id=team_id,
            user_id=user_id,
            value=action.get("value"),
            what="confirm knowledge",
        )
        if snippet.status == STATUS_PENDING:
            snippet = knowledge.confirm_snippet(
                session=session, snippet=snippet, community=community, facilitator_id=user_id
            )
        if snippet.status == STATUS_CONFIRMED and snippet.confirmed_by == user_id:
            refresh_shared_post(client, session, community=community, snippet=snippet)
            note = (
                f":white_check_mark: Confirmed {_quoted(snippet)}: it is now community knowledge."
            )
        else:  # rejected, withdrawn or confirmed by someone else before this click
            note = f"{_quoted(snippet)} no longer waits: it was settled before your click."
        message = _show_again(client, session, body, community, note)
    _respond(respond, message)


def reject_snippet_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """A facilitator rejects one pending snippet: withdrawn for good, its curator told
    privately once (unless they muted copbot); the list is shown again without it."""
    ack()
    team_id, user_id = team_of(context, body), body["user"]["id"]
    with db.session() as session:
        snippet, community = _pending_snippet(
            client,
            session,
            team_id=team_id,
            user_id=user_id,
            value=action.get("value"),
            what="reject knowledge",
        )
        if not knowledge.reject_snippet(session=session, snippet=snippet, facilitator_id=user_id):
            note = f"{_quoted(snippet)} no longer waits: it was settled before your click."
        else:
            refresh_shared_post(client, session, community=community, snippet=snippet)
            note = f":wastebasket: Rejected {_quoted(snippet)}. " + _tell_curator(
                client, session, community, snippet
            )
        message = _show_again(client, session, body, community, note)
    _respond(respond, message)


def _tell_curator(
    client: WebClient, session: Session, community: Community, snippet: Snippet
) -> str:
    """A private note to whoever captured or shared the snippet; says how it went."""
    curator = snippet.curator_id
    name = display_names(client, session, team_id=community.team_id, user_ids=[curator])[curator]
    message = link(snippet.permalink, "The message") if snippet.permalink else "The message"
    text = (
        f"A facilitator of *{to_mrkdwn(community.name)}* didn't keep {_quoted(snippet)} as "
        f"community knowledge, so `/cop search` won't show it. {message} stays in the channel "
        "as it was."
    )
    told = tell_privately(client, session, team_id=community.team_id, user_id=curator, text=text)
    if told is Told.MUTED:
        return f"{escape(name)} muted copbot, so they weren't told."
    if told is Told.REFUSED:
        return f"Slack wouldn't let copbot tell {escape(name)}."
    return f"{escape(name)} was told privately."
