"""Questions followed from the messages copbot already receives (no history polling): asked,
first answered by someone else, and answered when the asker thanks someone in the thread."""

from __future__ import annotations

from dataclasses import replace

from slack_sdk import WebClient
from sqlmodel import Session

from bot.blocks.kit import Message
from bot.blocks.questions import ANSWERED, MINE, OPEN, SHOWN, QuestionLine, render_questions
from bot.lookups import display_names, permalink
from bot.questions import is_question, is_thanks
from handlers.shared.knowledge import new_snippet, recorded_by
from handlers.shared.messages import SlackMessage, fetch_message
from handlers.shared.privacy import visible_to
from handlers.shared.roles import is_facilitator
from storage import knowledge, messages, questions
from storage.clock import utcnow
from storage.markup import mentioned_users
from storage.models import Community, CommunityChannel, Question
from storage.models.knowledge import SOURCE_ANSWER
from storage.models.questions import QUESTION_CLOSED, QUESTION_OPEN

# the reaction by which an asker (or a facilitator) says a question was answered
ANSWERED_EMOJI = "white_check_mark"


def follow_message(
    client: WebClient, session: Session, *, binding: CommunityChannel, message: SlackMessage
) -> None:
    """A new message in a community channel (cached already): a person's top-level question is
    recorded; a reply in a question's thread is its first response, and the asker's thanks
    marks the reply before it, by someone else, as its answer, whose thread becomes
    knowledge."""
    if not message.is_knowledge:
        return
    team_id, channel_id = binding.team_id, binding.channel_id
    if message.is_reply and message.thread_ts:
        question = questions.question_at(
            session=session, team_id=team_id, channel_id=channel_id, message_ts=message.thread_ts
        )
        if question is None:
            return
        at = messages.ts_to_datetime(message.ts)
        questions.record_reply(session=session, question=question, replier_id=message.user, at=at)
        if message.user == question.asker_id and is_thanks(message.text):
            answer = _answer_before(session, question.asker_id, binding, message)
            if answer is not None and questions.mark_answered(
                session=session,
                question=question,
                answered_by=answer.user,
                answer_ts=answer.ts,
                at=at,
            ):
                keep_answer(client, session, question=question, answer=answer)
        return
    if not is_question(message.text):
        return
    community = session.get(Community, binding.community_id)
    if community is None or not community.questions_enabled:
        return
    questions.record_question(
        session=session,
        team_id=team_id,
        community_id=binding.community_id,
        channel_id=channel_id,
        message_ts=message.ts,
        is_private=binding.is_private,
        asker_id=message.user,
        text=message.text,
        asked_at=messages.ts_to_datetime(message.ts),
    )


def _answer_before(
    session: Session, asker_id: str, binding: CommunityChannel, thanks: SlackMessage
) -> SlackMessage | None:
    """The reply the asker's thanks is for: the latest by the person they thank by name
    ("thanks @lena"), else the latest by anyone other than the asker, before the thanks."""
    return _latest_reply(
        session,
        team_id=binding.team_id,
        channel_id=binding.channel_id,
        thread_ts=thanks.thread_ts or "",
        asker_id=asker_id,
        before=float(thanks.ts),
        thanked=mentioned_users(thanks.text),
    )


def _latest_reply(
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    thread_ts: str,
    asker_id: str,
    before: float,
    thanked: list[str] | None = None,
) -> SlackMessage | None:
    replies = messages.thread_replies(
        session=session, team_id=team_id, channel_id=channel_id, thread_ts=thread_ts
    )
    others = [r for r in replies if float(r.ts) < before and r.user_id != asker_id]
    chosen = [r for r in others if r.user_id in (thanked or [])] or others
    if not chosen:
        return None
    reply = chosen[-1]
    return SlackMessage(reply.ts, reply.user_id, reply.text, reply.thread_ts)


def answered_by_reaction(
    client: WebClient,
    session: Session,
    *,
    community: Community,
    channel_id: str,
    ts: str,
    user_id: str,
) -> None:
    """The asker (or a facilitator) reacted with ANSWERED_EMOJI: on a reply, that reply
    answered the question; on the question itself, the latest reply by someone else did."""
    reacted = fetch_message(
        client, session, team_id=community.team_id, channel_id=channel_id, ts=ts
    )
    if reacted is None:
        return
    root = reacted.thread_ts if reacted.is_reply and reacted.thread_ts else reacted.ts
    question = questions.question_at(
        session=session, team_id=community.team_id, channel_id=channel_id, message_ts=root
    )
    if question is None or question.status != QUESTION_OPEN:
        return
    if user_id != question.asker_id and not is_facilitator(session, client, community, user_id):
        return  # only the asker, or a facilitator, says a question is answered
    if reacted.is_reply and reacted.user != question.asker_id:
        answer: SlackMessage | None = reacted
    else:
        answer = _latest_reply(
            session,
            team_id=community.team_id,
            channel_id=channel_id,
            thread_ts=root,
            asker_id=question.asker_id,
            before=float("inf"),
        )
    if answer is not None and questions.mark_answered(
        session=session,
        question=question,
        answered_by=answer.user,
        answer_ts=answer.ts,
        at=utcnow(),
    ):
        keep_answer(client, session, question=question, answer=answer)


def keep_answer(
    client: WebClient, session: Session, *, question: Question, answer: SlackMessage
) -> None:
    """An answered question's thread becomes a knowledge candidate, credited to whoever
    answered and saved by the asker: confirmed, or pending where the community confirms
    knowledge first (its facilitators are told as for any)."""
    community = session.get(Community, question.community_id)
    root = fetch_message(
        client,
        session,
        team_id=question.team_id,
        channel_id=question.channel_id,
        ts=question.message_ts,
    )
    if community is None or root is None or not root.is_knowledge:
        return
    new = new_snippet(
        client,
        session,
        team_id=question.team_id,
        channel_id=question.channel_id,
        message=root,
        curator_id=question.asker_id,
        source=SOURCE_ANSWER,
    )
    snippet, created = knowledge.capture_snippet(
        session=session, community=community, new=replace(new, author_id=answer.user)
    )
    if created:
        recorded_by(
            client, session, community=community, snippet=snippet, user_id=question.asker_id
        )


def questions_message(
    client: WebClient,
    session: Session,
    *,
    community: Community,
    which: str,
    viewer: str,
    note: str = "",
) -> Message:
    """/cop questions as `viewer` sees it: a private channel's questions only if they are in
    it, Close/Reopen buttons if they facilitate the community."""
    assert community.id is not None
    now = utcnow()
    listed = questions.questions_of(
        session=session,
        community_id=community.id,
        status=QUESTION_OPEN if which == OPEN else None,
        settled=which == ANSWERED,
        asker_id=viewer if which == MINE else None,
    )
    listed = visible_to(client, session, team_id=community.team_id, user_id=viewer, items=listed)
    shown = listed[:SHOWN]
    people = [i.question.asker_id for i in shown]
    people += [i.question.answered_by for i in shown if i.question.answered_by]
    names = display_names(client, session, team_id=community.team_id, user_ids=people)
    items = [
        QuestionLine(
            text=q.text,
            permalink=permalink(client, q.channel_id, q.message_ts),
            asker=names.get(q.asker_id, "someone"),
            age=now - q.asked_at,
            replies=replies,
            answered_by=names.get(q.answered_by or "", ""),
            open=q.status == QUESTION_OPEN,
            closed=q.status == QUESTION_CLOSED,
            question_id=q.id or 0,
        )
        for q, replies in shown
    ]
    return render_questions(
        community_name=community.name,
        which=which,
        items=items,
        total=len(listed),
        facilitator=is_facilitator(session, client, community, viewer),
        note=note,
    )
