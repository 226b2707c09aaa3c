"""What the Slack client does to typed text before sending it: escaping and mention links.

Messages and slash commands whose manifest entry says `should_escape: true` arrive like this;
modal inputs arrive raw. The sandbox page and the test harness type through here, so copbot
meets text in the shape Slack gives it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .payloads import rich_section, rich_text

# @name, #channel-name and bare URLs, as a person types them.
BROADCASTS = ("here", "channel", "everyone")
TOKEN = re.compile(r"(?<![\w<])([@#])([a-z0-9][a-z0-9._-]*)|(https?://[^\s<>|]+)", re.IGNORECASE)
# A <…> token of Slack's message text, and the entities of typed &, < and >.
LINKED = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
ENTITY = re.compile(r"&(amp|lt|gt);")


def escape(text: str) -> str:
    """Slack sends &, < and > in typed text as HTML entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def encode_typed(
    text: str,
    *,
    users: Mapping[str, str],
    channels: Mapping[str, str],
    command: bool = False,
) -> str:
    """`text` as Slack delivers it: @name and #channel of known people and channels become
    links, @here, @channel and @everyone broadcasts, URLs <url>; the rest is escaped. A
    command (should_escape) keeps the name in the link, as <@U123|name> and <#C123|name>.

    Args:
        users: user id by lower-case name (display names as typed after @).
        channels: channel id by name.
        command: encode the way slash-command text arrives.
    """
    out: list[str] = []
    last = 0
    for match in TOKEN.finditer(text):
        sigil, name, url = match.group(1), match.group(2), match.group(3)
        end = match.end()
        if name:  # "@sam." ends a sentence: the dot is not part of the name
            end -= len(name) - len(name.rstrip("._-"))
            name = name.rstrip("._-")
        replacement = None
        if url:
            replacement = f"<{escape(url)}>"
        elif sigil == "@" and name.lower() in BROADCASTS:
            replacement = f"<!{name.lower()}>"
        elif sigil == "@" and name.lower() in users:
            user_id = users[name.lower()]
            replacement = f"<@{user_id}|{name}>" if command else f"<@{user_id}>"
        elif sigil == "#" and name.lower() in channels:
            replacement = f"<#{channels[name.lower()]}|{name}>"
        if replacement is None:
            continue
        out.append(escape(text[last : match.start()]))
        out.append(replacement)
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def unescape(text: str) -> str:
    return ENTITY.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], text)


def rich_text_elements(text: str) -> list[dict[str, Any]]:
    """The inline rich_text elements the Slack client sends beside a message's `text` (as
    encode_typed makes it): raw text runs, and a user, channel, usergroup, broadcast or link
    element for each token. Formatting marks and :emoji: stay in the text runs."""
    elements: list[dict[str, Any]] = []
    last = 0
    for match in LINKED.finditer(text):
        if match.start() > last:
            elements.append({"type": "text", "text": unescape(text[last : match.start()])})
        elements.append(_element(match.group(1), match.group(2)))
        last = match.end()
    if last < len(text):
        elements.append({"type": "text", "text": unescape(text[last:])})
    return elements


def _element(target: str, label: str | None) -> dict[str, Any]:
    if target.startswith("@"):
        return {"type": "user", "user_id": target[1:]}
    if target.startswith("#"):
        return {"type": "channel", "channel_id": target[1:]}
    if target.startswith("!subteam^"):
        return {"type": "usergroup", "usergroup_id": target.removeprefix("!subteam^")}
    if target.startswith("!"):
        return {"type": "broadcast", "range": target[1:]}
    link: dict[str, Any] = {"type": "link", "url": unescape(target)}
    if label is not None:
        link["text"] = unescape(label)
    return link


def composer_blocks(text: str) -> list[dict[str, Any]]:
    """The `blocks` the Slack client sends with a message whose `text` is `text`."""
    return [rich_text(rich_section(*rich_text_elements(text)))]
