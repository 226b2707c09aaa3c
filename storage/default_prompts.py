"""The built-in bank of discussion prompts every community starts with.

Prompts are about the community's domain (what it learns about), its practice (how its
members work) and its people (who knows what). They are phrased to need no name for the
domain, so they read as well in a Coffee & Tea Club as in a Platform Guild: the posted
prompt names the community and its domain beside them.
"""

from __future__ import annotations

DEFAULT_PROMPTS: tuple[str, ...] = (
    # the domain
    "What is one thing you wish someone had told you when you first got into this?",
    "Which idea changed your mind in the last year, and what convinced you?",
    "What is the most common misconception you run into here? How do you explain it?",
    "If a newcomer could read, watch or try only one thing to get started, what should it be?",
    "What is harder than it looks? Share an example that surprised you.",
    "Which trend do you think is overrated, and which one is underrated?",
    "What question are you stuck on right now? Someone here may have an answer.",
    "Describe a tool, technique or method you adopted recently. Would you recommend it?",
    "What rule of thumb do you follow, and when do you break it?",
    "What would you try, make or change if you had a free week for it?",
    "Which mistake taught you the most? What would you do differently now?",
    "How do you keep learning about this without drowning? Share your sources and habits.",
    # the practice
    "Walk us through how you tackled a recent problem, step by step. What would you change?",
    "What is a small habit that makes what you do noticeably better?",
    "Share a checklist, recipe, template or trick you reuse all the time.",
    "How do you decide when something is good enough?",
    "What is the best feedback you ever received on your work, and why did it land?",
    "What is missing or out of date in what this community has written down? What should it say?",
    "How do you get to the bottom of a problem you can't reproduce or explain? Share a story.",
    "What did a recent failure or near-miss teach you?",
    "Which shortcut or routine saves you time that others may not know about?",
    "How do you explain what this community is about to someone outside it?",
    "What is one thing you stopped doing that made things better?",
    "Which decision from a few months ago would you revisit with what you know now?",
    # the people
    "Who helped you lately, and how? Give them a shout-out (kudos count too).",
    "What could you teach in fifteen minutes? Offer it here; someone will take you up on it.",
    "What would you like to learn from someone in this community? Ask them to show you.",
    "Which conversation in this channel was most useful to you recently, and why?",
    "Who outside this community should we learn from? Invite them or share their work.",
    "What is a question you were afraid to ask when you started? Ask it now, for the next person.",
    "Describe something you picked up from someone else's way of doing things. What made it stick?",
    "What would make this community more useful to you in the next month?",
    "Share a win from this week, however small, and what made it possible.",
    "Which project would benefit from a second pair of eyes? Describe it and ask.",
    "What is something you learned from a newcomer's fresh questions?",
    "If you showed a newcomer around tomorrow, what would their first week look like?",
)
