"""Every table copbot stores; importing this package registers them all on SQLModel.metadata."""

from storage.models.base import SQLModel
from storage.models.community import (
    ROLE_FACILITATOR,
    ROLE_MEMBER,
    ChannelMember,
    Community,
    CommunityChannel,
    Member,
)
from storage.models.events import InboxEvent
from storage.models.installation import bots_table, installations_table, oauth_states_table
from storage.models.knowledge import (
    ChannelMessage,
    Endorsement,
    Snippet,
    SnippetReply,
    SnippetTag,
)
from storage.models.kudos import Kudos
from storage.models.prompts import Prompt
from storage.models.questions import Question
from storage.models.schedule import CommunitySchedule, ScheduledPost
from storage.models.users import UserProfile

metadata = SQLModel.metadata

__all__ = [
    "ROLE_FACILITATOR",
    "ROLE_MEMBER",
    "ChannelMember",
    "ChannelMessage",
    "Community",
    "CommunityChannel",
    "CommunitySchedule",
    "Endorsement",
    "InboxEvent",
    "Kudos",
    "Member",
    "Prompt",
    "Question",
    "ScheduledPost",
    "Snippet",
    "SnippetReply",
    "SnippetTag",
    "UserProfile",
    "bots_table",
    "installations_table",
    "metadata",
    "oauth_states_table",
]
