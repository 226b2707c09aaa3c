"""Kudos as people see them: the public thanks, the giver's note, and the leaderboards."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks.kit import Block, Message, context, section
from bot.mrkdwn import escape, truncate, user
from storage.markup import to_mrkdwn

MEDALS = (":first_place_medal:", ":second_place_medal:", ":third_place_medal:")


def join_names(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def with_reason(why: str) -> str:
    """A reason after a name: " for the review" reads on, "great review" after a colon."""
    return (" " if why.lower().startswith(("for ", "because ")) else ": ") + why


def render_kudos_post(
    *, giver_id: str, receiver_ids: Sequence[str], reason: str, emoji: str = "raised_hands"
) -> Message:
    """The public thanks in the channel: receivers are mentioned so they are notified.

    `reason` is markup; people the giver mentioned in it are theirs to mention, broadcasts
    are not.
    """
    receivers = join_names([user(r) for r in receiver_ids])
    why = truncate(to_mrkdwn(reason, mentions=True), 2500)
    text = f":{emoji}: {user(giver_id)} gave kudos to {receivers}{with_reason(why)}"
    return Message(text=text, blocks=[section(text)])


def kudos_note(*, receiver_names: Sequence[str], left: int, quota: int, link: str = "") -> str:
    """What the giver alone sees after thanking someone."""
    names = join_names([escape(n) for n in receiver_names])
    what = f" for <{escape(link)}|their message>" if link.startswith("https://") else ""
    remaining = f"{left} of {quota} kudos left today" if left else "that was your last kudos today"
    return f":raised_hands: You thanked {names}{what}: {remaining}."


def received_note(*, giver_name: str, community_name: str, link: str, quoted: str) -> str:
    """What someone thanked by a kudos reaction alone sees (a DM): who, where, for what."""
    message = f"<{escape(link)}|your message>" if link.startswith("https://") else "your message"
    said = f": “{escape(quoted)}”" if quoted else ""
    return (
        f":raised_hands: {escape(giver_name)} gave you kudos in *{to_mrkdwn(community_name)}* "
        f"for {message}{said}"
    )


def over_quota(*, community_name: str, quota: int, left: int, wanted: int) -> str:
    """Why kudos were refused by the daily quota."""
    if left <= 0:
        return (
            f"You've given all {quota} of today's kudos in *{to_mrkdwn(community_name)}*. "
            "Your thanks will be just as welcome tomorrow!"
        )
    return (
        f"That would be {wanted} kudos, and you have {left} of {quota} left today in "
        f"*{to_mrkdwn(community_name)}*. Thank fewer people, or the rest tomorrow."
    )


def ranks(counts: Sequence[int]) -> list[int]:
    """Places for counts sorted highest first, ties sharing one: 5, 5, 3 → 1, 1, 3."""
    places: list[int] = []
    for i, count in enumerate(counts):
        places.append(places[-1] if i and count == counts[i - 1] else i + 1)
    return places


def _board(title: str, rows: Sequence[tuple[str, int]], unit: str) -> str:
    if not rows:
        return f"*{title}*\n_nobody yet_"
    lines = []
    for place, (name, count) in zip(ranks([c for _, c in rows]), rows, strict=True):
        rank = MEDALS[place - 1] if place <= len(MEDALS) else f"{place}."
        plural = unit if count == 1 or unit.endswith("s") else unit + "s"
        lines.append(f"{rank} {escape(name)}: {count} {plural}")
    return f"*{title}*\n" + "\n".join(lines)


def render_leaderboards(
    *,
    community_name: str,
    period: str,
    kudos: Sequence[tuple[str, int]],
    knowledge: Sequence[tuple[str, int]],
) -> Message:
    """`/cop top`: kudos received and knowledge contributed, by name (nobody is pinged)."""
    blocks: list[Block] = [
        section(f":trophy: *{to_mrkdwn(community_name)}*, {escape(period)}"),
        section(_board("Kudos received", kudos, "kudos")),
        section(_board("Knowledge shared", knowledge, "snippet")),
        context("Try `/cop top week`, `/cop top month` or `/cop top all`."),
    ]
    return Message(
        text=f"Leaderboards of {to_mrkdwn(community_name)}, {escape(period)}", blocks=blocks
    )
