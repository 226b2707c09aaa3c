"""What the Slack client does to typed text before sending it: escaping and mention links.

Messages and slash commands whose manifest entry says `should_escape: true` arrive like this;
modal inputs arrive raw. The sandbox page and the test harness type through here, so copbot
meets text in the shape Slack gives it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# @name, #channel-name and bare URLs, as a person types them.
BROADCASTS = ("here", "channel", "everyone")
TOKEN = re.compile(r"(?<![\w<])([@#])([a-z0-9][a-z0-9._-]*)|(https?://[^\s<>|]+)", re.IGNORECASE)


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
