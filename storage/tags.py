"""Tags: #hashtags in markup, tags typed into forms, and how they follow an edit.

In storage because what a snippet's text says decides its tags wherever the text changes,
in a handler (an edit in Slack) or here (/cop forget me taking a reply out of a thread).
"""

from __future__ import annotations

import re

MAX_TAGS = 10
MAX_TAG_LENGTH = 64

# "#testing" but not a channel link "<#C123|general>" nor an entity such as "&#39;"
_HASHTAG = re.compile(r"(?<![\w&<#])#([^\W_][\w-]{0,63})")


def hashtags(text: str) -> list[str]:
    """Tags written as #hashtags in `text`, lower-cased, in order, without duplicates."""
    return normalise_tags(_HASHTAG.findall(text))


def normalise_tags(raw: list[str] | str) -> list[str]:
    """Clean tags typed by a person ("#Py-Test, docs") into ["py-test", "docs"]."""
    if isinstance(raw, str):
        raw = re.split(r"[\s,]+", raw)
    tags = []
    for tag in raw:
        tag = tag.strip().lstrip("#").casefold()
        tag = re.sub(r"[^\w-]", "", tag)[:MAX_TAG_LENGTH].strip("-_")
        if tag:
            tags.append(tag)
    return list(dict.fromkeys(tags))[:MAX_TAGS]


def edited_tags(old_tags: list[str], old_text: str, new_text: str) -> list[str]:
    """Tags after an edit: hashtags follow the text, tags given in a form stay."""
    kept = [t for t in old_tags if t not in hashtags(old_text)]
    return normalise_tags([*kept, *hashtags(new_text)])
