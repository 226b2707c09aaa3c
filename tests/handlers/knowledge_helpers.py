"""Saving and reading back knowledge in scenario tests."""

from __future__ import annotations

from sandbox.slack import message_action_payload, state_value, view_submission_payload
from storage import db, knowledge
from storage.models import Snippet
from tests.harness import TEAM, Copbot


def snippet_at(ts: str, channel: str = "CPYTHON") -> Snippet | None:
    with db.session() as session:
        return knowledge.get_snippet(
            session=session, team_id=TEAM, channel_id=channel, message_ts=ts
        )


def tags_at(ts: str, channel: str = "CPYTHON") -> list[str]:
    found = snippet_at(ts, channel)
    assert found is not None
    with db.session() as session:
        return knowledge.tags_of(session=session, snippet=found)


def save_with_shortcut(copbot: Copbot, ts: str, *, channel: str, user: str = "UALICE") -> None:
    """`user` saves message `ts` with "Save to community knowledge", keeping the suggested
    title and picking their first community."""
    copbot.interactive(
        message_action_payload(
            user_id=user,
            callback_id="save_knowledge",
            channel_id=channel,
            message=copbot.standin.message(channel, ts) or {},
            response_url=copbot.standin.new_response_url(channel),
        )
    )
    view = copbot.standin.calls_to("views.open")[-1].args["view"]
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    values = {"title": {"title_input": state_value(blocks["title"]["element"]["initial_value"])}}
    if "community" in blocks:
        first = blocks["community"]["element"]["options"][0]["value"]
        values["community"] = {"community_select": state_value(first, element="static_select")}
    copbot.interactive(
        view_submission_payload(
            user_id=user,
            callback_id=view["callback_id"],
            private_metadata=view["private_metadata"],
            values=values,
        )
    )
