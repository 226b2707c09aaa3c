"""A local Slack Web API stand-in (a real HTTP server) and request signer, for sandbox and tests."""

from .checks import SlackError
from .compose import composer_blocks
from .payloads import (
    block_actions_payload,
    event_body,
    interactive_body,
    message_action_payload,
    message_changed_event,
    message_deleted_event,
    message_event,
    new_event_id,
    new_trigger_id,
    reaction_event,
    rich_section,
    rich_text,
    shared_message_attachment,
    shortcut_payload,
    slash_command_body,
    state_value,
    tombstone,
    view_submission_payload,
)
from .signing import SentRequest, SlackSender, sign_request
from .standin import Call, SlackStandIn

__all__ = [
    "Call",
    "SentRequest",
    "SlackError",
    "SlackSender",
    "SlackStandIn",
    "block_actions_payload",
    "composer_blocks",
    "event_body",
    "interactive_body",
    "message_action_payload",
    "message_changed_event",
    "message_deleted_event",
    "message_event",
    "new_event_id",
    "new_trigger_id",
    "reaction_event",
    "rich_section",
    "rich_text",
    "shared_message_attachment",
    "shortcut_payload",
    "sign_request",
    "slash_command_body",
    "state_value",
    "tombstone",
    "view_submission_payload",
]
