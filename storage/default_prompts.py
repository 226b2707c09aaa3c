"""The built-in bank of discussion prompts every community starts with.

Prompts are about the community's domain (what it learns about), its practice (how its
members work) and its people (who knows what). They speak of "our field" so they fit any
community; the posted prompt names the community and its domain beside them.
"""

from __future__ import annotations

DEFAULT_PROMPTS: tuple[str, ...] = (
    # the domain
    "What is one thing about our field you wish someone had told you in your first month?",
    "Which idea in our field changed your mind in the last year, and what convinced you?",
    "What is the most common misconception about our field you run into? How do you explain it?",
    "If a newcomer could read only one article, talk or book about our field, which should it be?",
    "What in our field is harder than it looks? Share an example that surprised you.",
    "Which trend in our field do you think is overrated, and which one is underrated?",
    "What question about our field are you stuck on right now? Someone here may have an answer.",
    "Describe a tool or technique in our field you adopted recently. Would you recommend it?",
    "What rule of thumb in our field do you follow, and when do you break it?",
    "What would you build, change or try in our field if you had a free week?",
    "Which mistake in our field taught you the most? What would you do differently now?",
    "How do you keep up with our field without drowning? Share your sources and habits.",
    # the practice
    "Walk us through how you tackled a recent problem, step by step. What would you change?",
    "What is a small habit that makes your work noticeably better?",
    "Share a checklist, template or snippet you reuse all the time.",
    "How do you decide when something is good enough to ship?",
    "What is the best code review, design critique or feedback you ever received?",
    "Which piece of our shared documentation is missing or out of date? What should it say?",
    "How do you debug something you cannot reproduce? Share a story.",
    "What did a recent incident, outage or near-miss teach you?",
    "What do you automate that others still do by hand?",
    "How do you explain your work to someone outside our field?",
    "What is one thing you stopped doing that made your work better?",
    "Which decision from last quarter would you revisit with what you know now?",
    # the people
    "Who helped you lately, and how? Give them a shout-out (kudos count too).",
    "What could you teach in fifteen minutes? Offer it here; someone will take you up on it.",
    "What would you like to learn from someone in this community? Ask for a pairing session.",
    "Which conversation in this channel was most useful to you recently, and why?",
    "Who outside this community should we learn from? Invite them or share their work.",
    "What is a question you were afraid to ask when you started? Ask it now, for the next person.",
    "Describe a colleague's practice you adopted. What made it stick?",
    "What would make this community more useful to you in the next month?",
    "Share a win from this week, however small, and what made it possible.",
    "Which project would benefit from a second pair of eyes? Describe it and ask.",
    "What is something you learned from a newcomer's fresh questions?",
    "If you mentored someone joining our field tomorrow, what would your first week plan be?",
)
