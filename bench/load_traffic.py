"""The traffic of the load benchmark: Slack's requests in Slack's shapes, and what each is for.

The mix of issue 15: 40% new messages in community channels, 25% knowledge (`bulb`) and kudos
(`raised_hands`) reactions on cached messages, 15% `/cop search <word>`, 10% App Home opens,
10% `/cop info` and `/cop top`. Every request has an effect of its own to check afterwards: a
new ts per message, a reaction nobody made before (a person's bulb or raised_hands on a
message; kudos spread so nobody passes the daily quota of 10 per community), a response_url
per command, and a views.publish per App Home open.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from bench.load_world import APP_ID, BOT_USER, SEARCH_WORDS, TEAM, World, sentence
from sandbox.slack import composer_blocks, message_event, reaction_event, sign_request
from sandbox.slack.compose import escape
from sandbox.slack.payloads import action_ts, event_callback, slash_command_fields

KINDS = ("message", "knowledge", "kudos", "search", "home", "info", "top")
# 40 requests in the proportions of the issue, shuffled anew each time they are dealt
DECK = (
    ["message"] * 16
    + ["knowledge"] * 5
    + ["kudos"] * 5
    + ["search"] * 6
    + ["home"] * 4
    + ["info"] * 2
    + ["top"] * 2
)
COMMANDS = ("search", "info", "top")
KUDOS_QUOTA = 10  # a community's default kudos_daily_quota
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# (channel, user) of each command -> a response_url on the stand-in for each
ResponseUrls = Callable[[list[tuple[str, str]]], list[str]]


@dataclass(frozen=True)
class Meta:
    """What a request asks for, to find its effect: the event's channel and ts (a message's,
    or the message reacted to), who sent it, and a command's response_url and text."""

    kind: str
    channel: str = ""
    ts: str = ""
    user: str = ""
    response_url: str = ""
    text: str = ""


@dataclass
class Request:
    """One delivery: an Events API event_callback or a slash command's fields."""

    meta: Meta
    envelope: str  # its Socket Mode envelope type: events_api or slash_commands
    payload: dict[str, object]

    def http(self, signing_secret: str) -> bytes:
        """The whole HTTP request as Slack sends it (signed now, a new connection each)."""
        if self.envelope == "events_api":
            body, content_type = json.dumps(self.payload), JSON
        else:
            body, content_type = urlencode(self.payload), FORM
        data = body.encode()
        lines = [
            "POST /slack/events HTTP/1.1",
            "Host: 127.0.0.1",
            "User-Agent: Slackbot 1.0 (+https://api.slack.com/robots)",
            "Accept: */*",
            f"Content-Length: {len(data)}",
            "Connection: close",
        ]
        headers = sign_request(body, signing_secret, content_type=content_type)
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


class Traffic:
    """Makes requests for `world`; each one new (its counters carry on across calls)."""

    def __init__(self, world: World, seed: int, response_urls: ResponseUrls) -> None:
        self.world = world
        self.rng = random.Random(seed)
        self.response_urls = response_urls
        self._messages = 0
        self._base = int(time.time())
        self._bulbs = dict.fromkeys(world.channels, 0)
        self._kudos = dict.fromkeys(world.channels, 0)
        self._kudos_full: set[str] = set()

    def mix(self, count: int) -> list[Request]:
        """`count` requests dealt from the deck of the issue's mix."""
        kinds: list[str] = []
        while len(kinds) < count:
            deck = list(DECK)
            self.rng.shuffle(deck)
            kinds.extend(deck)
        return self.of(kinds[:count])

    def only(self, kind: str, count: int) -> list[Request]:
        return self.of([kind] * count)

    def of(self, kinds: Sequence[str]) -> list[Request]:
        made = [self._make(kind) for kind in kinds]
        commands = [r for r in made if r.meta.kind in COMMANDS]
        urls = self.response_urls([(r.meta.channel, r.meta.user) for r in commands])
        for request, url in zip(commands, urls, strict=True):
            request.payload["response_url"] = url
            request.meta = replace(request.meta, response_url=url)
        return made

    # ----- each kind -------------------------------------------------------------------------
    def _make(self, kind: str) -> Request:
        if kind == "message":
            return self._message()
        if kind == "knowledge":
            return self._bulb()
        if kind == "kudos":
            return self._thanks()
        if kind == "home":
            return self._home()
        word = self.rng.choice(SEARCH_WORDS)
        return self._command(kind, f"search {word}" if kind == "search" else kind)

    def _member(self) -> tuple[str, str]:
        channel = self.rng.choice(self.world.channels)
        return channel, self.rng.choice(self.world.members[channel])

    def _event(self, meta: Meta, event: Mapping[str, object]) -> Request:
        body = event_callback(dict(event), team_id=TEAM, api_app_id=APP_ID, bot_user_id=BOT_USER)
        return Request(meta, "events_api", body)

    def _message(self) -> Request:
        channel, user = self._member()
        n = self._messages
        self._messages += 1
        ts = f"{self._base + n // 1000}.{n % 1000:03d}{self.rng.randrange(1000):03d}"
        text = escape(sentence(self.rng))  # as the Slack client sends typed text
        event = message_event(channel, user, text, ts, blocks=composer_blocks(text))
        return self._event(Meta("message", channel, ts, user), event)

    def _bulb(self) -> Request:
        """Person j + m of the channel on its message m, round after round: never twice."""
        channel = self.rng.choice(self.world.channels)
        messages, members = self.world.messages[channel], self.world.members[channel]
        k = self._bulbs[channel]
        self._bulbs[channel] += 1
        m, j = k % len(messages), k // len(messages)
        if j >= len(members):
            raise RuntimeError(f"every member already put a bulb on every message of {channel}")
        message, user = messages[m], members[(j + m) % len(members)]
        event = reaction_event(user, "bulb", channel=channel, ts=message.ts, item_user=message.user)
        return self._event(Meta("knowledge", channel, message.ts, user), event)

    def _thanks(self) -> Request:
        """Giver j + m + 1 on message m, skipping its author: within the daily quota, since a
        round gives each member at most ceil(messages / members) kudos in the channel."""
        open_channels = [c for c in self.world.channels if c not in self._kudos_full]
        if not open_channels:
            raise RuntimeError("every giver reached the kudos quota in every community")
        channel = self.rng.choice(open_channels)
        messages, members = self.world.messages[channel], self.world.members[channel]
        per_round = -(-len(messages) // len(members))
        rounds = KUDOS_QUOTA // per_round
        while True:
            k = self._kudos[channel]
            self._kudos[channel] += 1
            m, j = k % len(messages), k // len(messages)
            if j >= rounds:
                self._kudos_full.add(channel)
                return self._thanks()
            message, giver = messages[m], members[(j + m + 1) % len(members)]
            if giver != message.user:
                break
        event = reaction_event(
            giver, "raised_hands", channel=channel, ts=message.ts, item_user=message.user
        )
        return self._event(Meta("kudos", channel, message.ts, giver), event)

    def _home(self) -> Request:
        user = self.rng.choice(self.world.users)
        event = {
            "type": "app_home_opened",
            "user": user,
            "channel": f"D{user[1:]}",
            "tab": "home",
            "event_ts": action_ts(),
        }
        return self._event(Meta("home", user=user), event)

    def _command(self, kind: str, text: str) -> Request:
        channel, user = self._member()
        fields = slash_command_fields(
            "/cop",
            escape(text),
            user_id=user,
            channel_id=channel,
            response_url="",  # filled in by of(), all at once
            team_id=TEAM,
            channel_name=f"load-{self.world.channels.index(channel):02d}",
            user_name=self.world.names[user],
            api_app_id=APP_ID,
        )
        meta = Meta(kind, channel, user=user, text=fields["text"])
        return Request(meta, "slash_commands", dict(fields))
