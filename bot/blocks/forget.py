"""/cop forget me: the confirmation, and what was removed."""

from __future__ import annotations

from bot.blocks.kit import Message, actions, button, section

FORGET_CONFIRM = "forget_me_confirm"
FORGET_CANCEL = "forget_me_cancel"


def render_forget_question(*, last_facilitator_of: list[str]) -> Message:
    """Ask before deleting anything."""
    text = (
        ":warning: *Forget me?* copbot will delete the knowledge you wrote, your endorsements, "
        "the kudos you gave and received, your memberships and the messages of yours it cached. "
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
    *, snippets: int, endorsements: int, kudos: int, memberships: int, messages: int
) -> Message:
    """What was removed."""
    text = (
        ":wastebasket: Done. copbot removed "
        f"{snippets} snippet{'s' if snippets != 1 else ''}, "
        f"{endorsements} endorsement{'s' if endorsements != 1 else ''}, "
        f"{kudos} kudos, {memberships} membership{'s' if memberships != 1 else ''} and "
        f"{messages} cached message{'s' if messages != 1 else ''}."
    )
    return Message(text=text, blocks=[section(text)])
