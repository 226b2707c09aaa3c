"""The scheduled posts: the weekly prompt, the digest and the kudos summary.

People are named, never @-mentioned: a scheduled post pings nobody.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.blocks.kit import (
    MAX_MESSAGE_BLOCKS,
    Block,
    Message,
    context,
    divider,
    header,
    link,
    section,
    title_of,
)
from bot.blocks.kudos import join_names
from bot.blocks.questions import ago, duration
from bot.mrkdwn import escape, truncate
from bot.text import counted, first_words, title_from
from storage.markup import to_mrkdwn, visible, with_names

if TYPE_CHECKING:
    from storage.digest import DigestData, WeekCounts
    from storage.kudos import KudosWeek

Names = Mapping[str, str]


def _name(names: Names, user_id: str) -> str:
    return escape(names.get(user_id) or "someone")


def _people(names: Names, user_ids: Sequence[str], most: int = 10) -> str:
    shown = [_name(names, u) for u in user_ids[:most]]
    if len(user_ids) > most:
        shown.append(f"{len(user_ids) - most} more")
    return join_names(shown)


def render_prompt(*, community_name: str, domain: str, text: str) -> Message:
    """The weekly discussion prompt (all three texts markup); replies in its thread count."""
    blocks: list[Block] = [
        section(f":speech_balloon: *This week's question for {to_mrkdwn(community_name)}*"),
        section(truncate(to_mrkdwn(text), 2500)),
        context(
            "Answer in the thread. Great answers can be kept: react with :bulb:."
            + (f" · {truncate(to_mrkdwn(domain), 200)}" if domain else "")
        ),
    ]
    return Message(text=f"This week's question: {truncate(to_mrkdwn(text), 200)}", blocks=blocks)


def trend_line(this: WeekCounts, last: WeekCounts) -> str:
    """One line comparing the week with the one before."""

    def change(now: int, before: int, what: str, plural: str) -> str:
        if now == before:
            return f"{counted(now, what, plural)} (same as last week)"
        arrow = ":arrow_upper_right:" if now > before else ":arrow_lower_right:"
        return f"{counted(now, what, plural)} {arrow} from {before}"

    return " · ".join(
        [
            change(this.snippets, last.snippets, "snippet", "snippets"),
            change(this.kudos, last.kudos, "kudos", "kudos"),
            change(this.active_people, last.active_people, "active person", "active people"),
        ]
    )


def _knowledge_blocks(data: DigestData, names: Names) -> list[Block]:
    lines = []
    for snippet in data.top_snippets:
        title = title_of(snippet.title, snippet.text, 120)
        tags = " ".join(f"#{escape(t)}" for t in data.tags.get(snippet.id or 0, []))
        linked = link(snippet.permalink, truncate(title, 120))
        lines.append(
            f"• *{linked}* by {_name(names, snippet.author_id)}"
            + (f" · {tags}" if tags else "")
            + (f" · :bulb: {snippet.endorsements}" if snippet.endorsements > 1 else "")
        )
    more = data.new_snippets - len(data.top_snippets)
    if more > 0:
        lines.append(f"…and {more} more: `/cop search` finds them all.")
    return [section(f"*:bulb: New knowledge ({data.new_snippets})*\n" + "\n".join(lines))]


def _prompt_blocks(data: DigestData, names: Names) -> list[Block]:
    thread = data.prompt
    if thread is None or not thread.reply_count:
        return []
    quoted = truncate(" ".join(to_mrkdwn(with_names(thread.text, names)).split()), 300)
    text = (
        f"*:speech_balloon: Most discussed question* ({thread.reply_count} "
        f"repl{'y' if thread.reply_count == 1 else 'ies'})\n>{quoted}"
    )
    if thread.replies:
        label = (
            "Best answers"
            if thread.replies_captured
            else "Answers worth keeping? React with :bulb:"
        )
        lines = [
            f"• {_name(names, author)}: "
            + truncate(" ".join(to_mrkdwn(with_names(body, names)).split()), 200)
            for author, body, _ in thread.replies
        ]
        text += f"\n_{label}_\n" + "\n".join(lines)
    return [section(text)]


def _question_blocks(data: DigestData, names: Names, links: Mapping[int, str]) -> list[Block]:
    """The questions still waiting, oldest first, and how fast the week's got a first reply."""
    lines = []
    for question in data.open_questions:
        title = visible(title_from(question.text, 100)) or "a question"
        lines.append(
            f"• {link(links.get(question.id or 0, ''), title)}, asked by "
            f"{_name(names, question.asker_id)} {ago(data.end - question.asked_at)}"
        )
    more = data.open_total - len(data.open_questions)
    if more > 0:
        lines.append(f"…and {more} more: `/cop questions` lists them.")
    text = f"*:grey_question: Open questions ({data.open_total})*\n" + "\n".join(lines)
    if data.response is not None:
        before = (
            f" (last week {duration(data.response_before)})"
            if data.response_before is not None
            else ""
        )
        reply = f"Median time to a first reply: {duration(data.response)}{before}."
        text = f"{text}\n{reply}" if lines else reply
    elif not lines:
        return []
    return [section(text)]


def _people_blocks(data: DigestData, names: Names) -> list[Block]:
    lines = []
    if data.first_time_contributors:
        lines.append(
            ":tada: First contributions from " + _people(names, data.first_time_contributors)
        )
    if data.new_members:
        lines.append(":wave: Welcome to " + _people(names, data.new_members))
    if data.kudos.top_receivers:
        top = ", ".join(f"{_name(names, u)} ({n})" for u, n in data.kudos.top_receivers[:3])
        lines.append(f":raised_hands: Most thanked: {top}")
    if data.waiting:
        what = (
            "1 piece of knowledge waits"
            if data.waiting == 1
            else (f"{data.waiting} pieces of knowledge wait")
        )
        lines.append(
            f":hourglass_flowing_sand: {what} for a facilitator to confirm: `/cop pending`."
        )
    return [section("\n".join(lines))] if lines else []


def render_digest(
    data: DigestData, names: Names, links: Mapping[int, str] | None = None
) -> Message:
    """The weekly digest, or a short nudge when the week was quiet."""
    name = to_mrkdwn(data.community.name)
    if data.quiet:
        text = (
            f":seedling: A quiet week in *{name}*. Know something others here would want to "
            "find later? Share it with `/cop share`, or react with :bulb: on a message worth "
            "keeping. Thanking someone? `/cop kudos @name for …`"
        )
        return Message(text=f"A quiet week in {name}", blocks=[section(text)])
    blocks: list[Block] = [
        header(f"{visible(data.community.name)}: the week in review"),
        context(trend_line(data.this_week, data.last_week)),
    ]
    for part in (
        _knowledge_blocks(data, names) if data.new_snippets else [],
        _prompt_blocks(data, names),
        _question_blocks(data, names, links or {}),
        _people_blocks(data, names),
    ):
        if part:
            blocks.append(divider())
            blocks.extend(part)
    return Message(
        text=f"{name}: {counted(data.new_snippets, 'new snippet')}, {len(data.kudos.kudos)} kudos "
        "this week",
        blocks=blocks[:MAX_MESSAGE_BLOCKS],
    )


def render_kudos_summary(
    *, community_name: str, week: KudosWeek, names: Names, max_lines: int = 15
) -> Message:
    """Who thanked whom for what this week, top receivers, and knowledge credits (a week
    with neither kudos nor shared knowledge has no summary: scheduler/jobs.py skips it)."""
    name = to_mrkdwn(community_name)
    blocks: list[Block] = [header(f"Kudos in {visible(community_name)} this week")]
    if not week.kudos:
        blocks.append(
            section(
                "No one thanked anyone this week. Someone helped you? `/cop kudos @name for …`, "
                "or react with :raised_hands: on their message."
            )
        )
    if week.kudos:
        lines = []
        for kudos in week.kudos[:max_lines]:
            reason = kudos.reason
            if (kudos.id or 0) in week.private:  # its channel is private: the reason stays there
                what = "_for something in a private channel_"
            elif reason.startswith("https://"):  # by reaction: the message thanked, quoted
                quoted = first_words(with_names(week.quotes.get(kudos.id or 0, ""), names))
                what = link(reason, f"“{quoted}”" if quoted else "their message")
            else:
                what = truncate(to_mrkdwn(with_names(reason, names)), 150)
            lines.append(
                f"• {_name(names, kudos.giver_id)} → {_name(names, kudos.receiver_id)}: {what}"
            )
        if len(week.kudos) > max_lines:
            lines.append(f"…and {len(week.kudos) - max_lines} more")
        blocks.append(section("\n".join(lines)))
    highlights = []
    if week.top_receivers:
        highlights.append(
            ":trophy: Most thanked: "
            + ", ".join(f"{_name(names, u)} ({n})" for u, n in week.top_receivers)
        )
    if week.first_time_receivers:
        highlights.append(":sparkles: First kudos for " + _people(names, week.first_time_receivers))
    if week.shared_knowledge:
        highlights.append(
            ":bulb: Shared knowledge: "
            + ", ".join(f"{_name(names, u)} ({n})" for u, n in week.shared_knowledge)
        )
    if week.curated_knowledge:
        highlights.append(
            ":books: Curated knowledge: "
            + ", ".join(f"{_name(names, u)} ({n})" for u, n in week.curated_knowledge)
        )
    if highlights:
        blocks.append(context(*highlights))
    return Message(text=f"Kudos in {name} this week: {len(week.kudos)}", blocks=blocks)
