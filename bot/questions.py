"""Is a message a question someone wants answered, and is a reply a thanks that closes it?

Two rules in one place, each with a table of examples in tests/bot/test_questions.py (what
they must take and what they must not). Both read a message as people read it (markup in:
code, links and quotes are not what the person asks or says).
"""

from __future__ import annotations

import re

from storage.markup import visible

# Code, quotes and links say what something is, not what the person asks.
_CODE_BLOCK = re.compile(r"```.*?```", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_URL = re.compile(r"https?://\S+")
_QUOTE_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)

# Openings that ask, with or without a question mark ("how do I pin versions").
_ASKING = re.compile(
    r"^(?:hi|hey|hello|folks|all|team|quick question)?[\s,!:-]*"
    r"(?:how (?:do|can|should|would|did) (?:i|we|you|one)|how to|how does|how is|"
    r"what(?:'s| is| are) the (?:best|right|recommended|easiest|fastest|usual) (?:way|tool|place)|"
    r"does any(?:one|body)|do any of you|has any(?:one|body)|did any(?:one|body)|"
    r"is any(?:one|body)|any(?:one|body) (?:know|knows|have|has|tried|used|seen)|"
    r"can (?:any|some)(?:one|body)|could (?:any|some)(?:one|body)|"
    r"is there (?:a|an|any) (?:way|tool|library|option|setting|reason)|"
    r"are there (?:any )?(?:tools|libraries|docs|guides)|any (?:idea|ideas|tips|advice|pointers)|"
    r"i(?:'m| am) (?:wondering|trying to figure out)|i wonder (?:if|how|why|whether)|"
    r"what(?:'s| is) the difference between|why (?:does|do|is|are|would|can't|won't|doesn't))\b",
    re.IGNORECASE,
)
# A question mark that asks for nothing: a tag on a statement, a social nudge.
_NOT_ASKING = re.compile(
    r"(?:^|[\s,])(?:right|ok|okay|yeah|yes|no|eh|huh|innit|isn't it|wasn't it|aren't they|"
    r"didn't it|doesn't it|don't they|wasn't that|"
    r"see you(?: \w+)?|who(?:'s| is) in|anyone in|you in|sound good|sounds good|"
    r"(?:good|great|nice|fun) (?:morning|weekend|day)|happy friday|lunch|coffee)\s*[?!.]*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")  # "3.10?" and "e.g." stay whole
MIN_WORDS = 3  # "lunch?" and "ready?" are no questions to answer from knowledge


def _prose(markup: str) -> str:
    """What the person wrote in their own words: no code, quotes or links."""
    text = _QUOTE_LINE.sub(" ", visible(markup))
    text = _CODE_BLOCK.sub(" ", text)
    text = _INLINE_CODE.sub(" x ", text)  # a code word still counts as a word of the sentence
    return _URL.sub(" ", text)


def is_question(markup: str) -> bool:
    """Whether a top-level message asks something a community could answer: a sentence that
    ends with a question mark (not a rhetorical tag or a social nudge), or one that opens the
    way questions do ("how do I …", "does anyone …"), in the person's own words."""
    prose = _prose(markup)
    if len(prose.split()) < MIN_WORDS:
        return False
    for line in prose.splitlines():
        for sentence in _SENTENCE_END.split(line.strip()):
            sentence = sentence.strip()
            if len(sentence.split()) < 2:
                continue
            if sentence.endswith("?") and not _NOT_ASKING.search(sentence):
                return True
            if _ASKING.match(sentence):
                return True
    return False


# Thanks that close a question; not thanks in advance, thanks anyway or "no thanks".
_THANKS = re.compile(
    r"\b(?:thanks|thank you|thank u|thx|tysm|ty|many thanks|much appreciated|appreciate it|"
    r"that (?:worked|works|did it|did the trick|fixed it|helped|solved it)|"
    r"(?:it )?works now|worked like a charm|(?:problem )?solved|perfect,? thanks?|"
    r"you(?:'re| are) a (?:star|lifesaver|legend)|saved my day)\b|:pray:",
    re.IGNORECASE,
)
_NOT_THANKS = re.compile(
    r"\b(?:thanks|thank you|thx) (?:in advance|anyway|anyways|for asking|for nothing)\b|"
    r"\bno,? thanks?\b|\bno thank you\b|\b(?:doesn't|does not|didn't|did not|still doesn't|"
    r"still not|not) (?:work|working|help|fix|solve)|\bbut (?:it |that )?(?:still|didn't|doesn't)|"
    r"\b(?:not|isn't|wasn't) solved\b|\bunsolved\b|\b(?:that's|that is|it's) not it\b|\?\s*$",
    re.IGNORECASE,
)


def is_thanks(markup: str) -> bool:
    """Whether a reply thanks someone for an answer that worked ("thanks, that worked"), not
    thanks in advance, a polite "thanks anyway", or thanks followed by "but it still fails"."""
    prose = _prose(markup)
    return bool(_THANKS.search(prose)) and not _NOT_THANKS.search(prose)
