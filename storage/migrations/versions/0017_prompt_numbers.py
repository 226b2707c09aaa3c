"""prompts numbered within their community; built-in prompts that need no domain

`/cop prompt list` showed each prompt's database id, so a community's list read 1–36 in one
workspace and 73 in another ("Added prompt 73" in a bank of 37). Each prompt now has a number
within its community (1, 2, 3 … in the order they were added), which list, add and remove use.

The built-in prompts spoke of "our field", which read oddly in a Coffee & Tea Club; they are
reworded to need no domain. A community's copy of a built-in prompt is reworded here too
unless a facilitator changed it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REWORDED = (
    (
        "What is one thing about our field you wish someone had told you in your first month?",
        "What is one thing you wish someone had told you when you first got into this?",
    ),
    (
        "Which idea in our field changed your mind in the last year, and what convinced you?",
        "Which idea changed your mind in the last year, and what convinced you?",
    ),
    (
        "What is the most common misconception about our field "
        "you run into? How do you explain it?",
        "What is the most common misconception you run into here? How do you explain it?",
    ),
    (
        "If a newcomer could read only one article, talk or book "
        "about our field, which should it be?",
        "If a newcomer could read, watch or try only one thing to get started, what should it be?",
    ),
    (
        "What in our field is harder than it looks? Share an example that surprised you.",
        "What is harder than it looks? Share an example that surprised you.",
    ),
    (
        "Which trend in our field do you think is overrated, and which one is underrated?",
        "Which trend do you think is overrated, and which one is underrated?",
    ),
    (
        "What question about our field are you stuck on right "
        "now? Someone here may have an answer.",
        "What question are you stuck on right now? Someone here may have an answer.",
    ),
    (
        "Describe a tool or technique in our field you adopted recently. Would you recommend it?",
        "Describe a tool, technique or method you adopted recently. Would you recommend it?",
    ),
    (
        "What rule of thumb in our field do you follow, and when do you break it?",
        "What rule of thumb do you follow, and when do you break it?",
    ),
    (
        "What would you build, change or try in our field if you had a free week?",
        "What would you try, make or change if you had a free week for it?",
    ),
    (
        "Which mistake in our field taught you the most? What would you do differently now?",
        "Which mistake taught you the most? What would you do differently now?",
    ),
    (
        "How do you keep up with our field without drowning? Share your sources and habits.",
        "How do you keep learning about this without drowning? Share your sources and habits.",
    ),
    (
        "What is a small habit that makes your work noticeably better?",
        "What is a small habit that makes what you do noticeably better?",
    ),
    (
        "Share a checklist, template or snippet you reuse all the time.",
        "Share a checklist, recipe, template or trick you reuse all the time.",
    ),
    (
        "How do you decide when something is good enough to ship?",
        "How do you decide when something is good enough?",
    ),
    (
        "What is the best code review, design critique or feedback you ever received?",
        "What is the best feedback you ever received on your work, and why did it land?",
    ),
    (
        "Which piece of our shared documentation is missing or out of date? What should it say?",
        "What is missing or out of date in what this community "
        "has written down? What should it say?",
    ),
    (
        "How do you debug something you cannot reproduce? Share a story.",
        "How do you get to the bottom of a problem you can't reproduce or explain? Share a story.",
    ),
    (
        "What did a recent incident, outage or near-miss teach you?",
        "What did a recent failure or near-miss teach you?",
    ),
    (
        "What do you automate that others still do by hand?",
        "Which shortcut or routine saves you time that others may not know about?",
    ),
    (
        "How do you explain your work to someone outside our field?",
        "How do you explain what this community is about to someone outside it?",
    ),
    (
        "What is one thing you stopped doing that made your work better?",
        "What is one thing you stopped doing that made things better?",
    ),
    (
        "Which decision from last quarter would you revisit with what you know now?",
        "Which decision from a few months ago would you revisit with what you know now?",
    ),
    (
        "What would you like to learn from someone in this community? Ask for a pairing session.",
        "What would you like to learn from someone in this community? Ask them to show you.",
    ),
    (
        "Describe a colleague's practice you adopted. What made it stick?",
        "Describe something you picked up from someone else's "
        "way of doing things. What made it stick?",
    ),
    (
        "If you mentored someone joining our field tomorrow, what would your first week plan be?",
        "If you showed a newcomer around tomorrow, what would their first week look like?",
    ),
)


def _markup(text: str) -> str:
    """As prompts are stored (storage.markup.escape, frozen here)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def upgrade() -> None:
    op.add_column("prompt", sa.Column("number", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE prompt SET number = (SELECT count(*) FROM prompt p2 "
        "WHERE p2.community_id = prompt.community_id AND p2.id <= prompt.id)"
    )
    reword = sa.text("UPDATE prompt SET text = :new WHERE is_default = :yes AND text = :old")
    for old, new in REWORDED:
        op.get_bind().execute(reword, {"old": _markup(old), "new": _markup(new), "yes": True})
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_prompt_community_id_number"), ["community_id", "number"]
        )


def downgrade() -> None:
    reword = sa.text("UPDATE prompt SET text = :old WHERE is_default = :yes AND text = :new")
    for old, new in REWORDED:
        op.get_bind().execute(reword, {"old": _markup(old), "new": _markup(new), "yes": True})
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_prompt_community_id_number"), type_="unique")
        batch_op.drop_column("number")
