"""/cop forget me: the confirmation, and what was removed."""

from __future__ import annotations

from bot.blocks.kit import Message, actions, button, section
from bot.text import counted

FORGET_CONFIRM = "forget_me_confirm"
FORGET_CANCEL = "forget_me_cancel"


def render_forget_question(*, last_facilitator_of: list[str]) -> Message:
    """Ask before deleting anything."""
    text = (
        ":warning: *Forget me?* copbot will delete the knowledge you wrote, your endorsements, "
        "the kudos you gave and received, your memberships and the messages of yours it cached. "
        "Your replies in threads other people saved will read “(removed)”, and the posts "
        "copbot made in your name (what you shared, the thanks you gave) come down. "
        "Digests already posted stay as they are. "
        "Knowledge you only saved stays, credited to its author. This cannot be undone."
    )
    if last_facilitator_of:
        text += (
            "\nYou are the last facilitator of "
            + ", ".join(f"*{name}*" for name in last_facilitator_of)
            + "; workspace admins will be its only facilitators."
        )
    return Message(
        text="Forget me? This cannot be undone.",
        blocks=[
            section(text),
            actions(
                button("Forget me", FORGET_CONFIRM, value="yes", style="danger"),
                button("Cancel", FORGET_CANCEL, value="no"),
            ),
        ],
    )


def render_forgotten(
    *,
    snippets: int,
    endorsements: int,
    kudos: int,
    memberships: int,
    messages: int,
    replies: int = 0,
    posts: int = 0,
) -> Message:
    """What was removed."""
    parts = [
        counted(snippets, "snippet"),
        counted(endorsements, "endorsement"),
        f"{kudos} kudos",
        counted(memberships, "membership"),
        counted(messages, "cached message"),
    ]
    if replies:
        parts.append(
            f"{counted(replies, 'reply', 'replies')} in threads other people saved "
            "(they now read “(removed)”)"
        )
    if posts:
        parts.append(f"{counted(posts, 'post')} it had made in your name (shares and thanks)")
    text = ":wastebasket: Done. copbot removed " + ", ".join(parts[:-1]) + f" and {parts[-1]}."
    return Message(text=text, blocks=[section(text)])
