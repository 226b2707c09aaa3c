"""Questions followed from the messages copbot already receives (no history polling): asked,
first answered by someone else, and answered when the asker thanks someone in the thread."""

from __future__ import annotations

from dataclasses import replace

from slack_sdk import WebClient
from sqlmodel import Session

from bot.questions import is_question, is_thanks
from handlers.shared.knowledge import new_snippet, recorded_by
from handlers.shared.messages import SlackMessage, fetch_message
from storage import knowledge, messages, questions
from storage.markup import mentioned_users
from storage.models import Community, CommunityChannel, Question
from storage.models.knowledge import SOURCE_ANSWER


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
    replies = messages.thread_replies(
        session=session,
        team_id=binding.team_id,
        channel_id=binding.channel_id,
        thread_ts=thanks.thread_ts or "",
    )
    before = [r for r in replies if float(r.ts) < float(thanks.ts) and r.user_id != asker_id]
    thanked = mentioned_users(thanks.text)
    chosen = [r for r in before if r.user_id in thanked] or before
    if not chosen:
        return None
    reply = chosen[-1]
    return SlackMessage(reply.ts, reply.user_id, reply.text, reply.thread_ts)


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
