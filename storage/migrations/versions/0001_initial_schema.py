"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 20:12:37.934917
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("posted_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("edited_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("deleted_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_message")),
        sa.UniqueConstraint(
            "team_id", "channel_id", "ts", name=op.f("uq_channel_message_team_id_channel_id_ts")
        ),
    )
    with op.batch_alter_table("channel_message", schema=None) as batch_op:
        batch_op.create_index("ix_channel_message_posted_at", ["posted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_channel_message_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            "ix_channel_message_thread", ["team_id", "channel_id", "thread_ts"], unique=False
        )

    op.create_table(
        "community",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("name_key", sa.String(length=80), nullable=False),
        sa.Column("domain", sa.String(length=1000), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("knowledge_emoji", sa.String(length=200), nullable=False),
        sa.Column("kudos_emoji", sa.String(length=200), nullable=False),
        sa.Column("reactions_required", sa.Integer(), nullable=False),
        sa.Column("require_confirmation", sa.Boolean(), nullable=False),
        sa.Column("kudos_daily_quota", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("paused_reason", sa.String(length=500), nullable=True),
        sa.Column("paused_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community")),
        sa.UniqueConstraint("team_id", "name_key", name=op.f("uq_community_team_id_name_key")),
    )
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_team_id"), ["team_id"], unique=False)

    op.create_table(
        "event_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_receipt")),
        sa.UniqueConstraint("event_id", name=op.f("uq_event_receipt_event_id")),
    )
    with op.batch_alter_table("event_receipt", schema=None) as batch_op:
        batch_op.create_index("ix_event_receipt_received_at", ["received_at"], unique=False)

    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("bot_id", sa.String(length=32), nullable=True),
        sa.Column("bot_user_id", sa.String(length=32), nullable=True),
        sa.Column("bot_scopes", sa.String(length=1000), nullable=True),
        sa.Column("bot_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_bots")),
    )
    with op.batch_alter_table("slack_bots", schema=None) as batch_op:
        batch_op.create_index(
            "slack_bots_idx",
            ["client_id", "enterprise_id", "team_id", "installed_at"],
            unique=False,
        )

    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("enterprise_url", sa.String(length=200), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("bot_id", sa.String(length=32), nullable=True),
        sa.Column("bot_user_id", sa.String(length=32), nullable=True),
        sa.Column("bot_scopes", sa.String(length=1000), nullable=True),
        sa.Column("bot_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("user_token", sa.String(length=200), nullable=True),
        sa.Column("user_scopes", sa.String(length=1000), nullable=True),
        sa.Column("user_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("incoming_webhook_url", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel_id", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_configuration_url", sa.String(length=200), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(length=32), nullable=True),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_installations")),
    )
    with op.batch_alter_table("slack_installations", schema=None) as batch_op:
        batch_op.create_index(
            "slack_installations_idx",
            ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
            unique=False,
        )

    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("state", sa.String(length=200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_oauth_states")),
    )
    op.create_table(
        "user_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("is_owner", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_profile")),
        sa.UniqueConstraint("team_id", "user_id", name=op.f("uq_user_profile_team_id_user_id")),
    )
    with op.batch_alter_table("user_profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_profile_team_id"), ["team_id"], unique=False)

    op.create_table(
        "community_channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("channel_name", sa.String(length=80), nullable=False),
        sa.Column("is_private", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("added_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_community_channel_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_channel")),
        sa.UniqueConstraint(
            "community_id", "channel_id", name=op.f("uq_community_channel_community_id_channel_id")
        ),
    )
    with op.batch_alter_table("community_channel", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_channel_channel_id"), ["channel_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_community_channel_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_community_channel_team_id"), ["team_id"], unique=False)

    op.create_table(
        "community_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_community_schedule_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_schedule")),
        sa.UniqueConstraint(
            "community_id", "kind", name=op.f("uq_community_schedule_community_id_kind")
        ),
    )
    with op.batch_alter_table("community_schedule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_schedule_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_community_schedule_team_id"), ["team_id"], unique=False
        )

    op.create_table(
        "kudos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.String(length=32), nullable=False),
        sa.Column("receiver_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_kudos_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kudos")),
        sa.UniqueConstraint(
            "team_id",
            "source",
            "channel_id",
            "message_ts",
            "giver_id",
            "receiver_id",
            name=op.f("uq_kudos_team_id_source_channel_id_message_ts_giver_id_receiver_id"),
        ),
    )
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.create_index(
            "ix_kudos_community_created", ["community_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_kudos_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kudos_giver_id"), ["giver_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kudos_receiver_id"), ["receiver_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kudos_team_id"), ["team_id"], unique=False)

    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("joined_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("left_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("muted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_member_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint("community_id", "user_id", name=op.f("uq_member_community_id_user_id")),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "prompt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("last_used_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("times_used", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_prompt_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt")),
    )
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prompt_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_prompt_team_id"), ["team_id"], unique=False)

    op.create_table(
        "snippet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("permalink", sa.String(length=500), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("curator_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("is_private", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("edited_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("deleted_at", storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_snippet_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snippet")),
        sa.UniqueConstraint(
            "team_id",
            "channel_id",
            "message_ts",
            name=op.f("uq_snippet_team_id_channel_id_message_ts"),
        ),
    )
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_snippet_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_snippet_community_id"), ["community_id"], unique=False)
        batch_op.create_index(
            "ix_snippet_community_status_created",
            ["community_id", "status", "created_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_snippet_team_id"), ["team_id"], unique=False)

    op.create_table(
        "endorsement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("snippet_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("emoji", sa.String(length=100), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snippet_id"],
            ["snippet.id"],
            name=op.f("fk_endorsement_snippet_id_snippet"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_endorsement")),
        sa.UniqueConstraint(
            "snippet_id", "user_id", "emoji", name=op.f("uq_endorsement_snippet_id_user_id_emoji")
        ),
    )
    with op.batch_alter_table("endorsement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_endorsement_snippet_id"), ["snippet_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_endorsement_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_endorsement_user_id"), ["user_id"], unique=False)

    op.create_table(
        "scheduled_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("prompt_id", sa.Integer(), nullable=True),
        sa.Column("claimed_by", sa.String(length=200), nullable=False),
        sa.Column("scheduled_for", storage.types.UTCDateTime(), nullable=True),
        sa.Column("claimed_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("posted_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_scheduled_post_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["prompt.id"],
            name=op.f("fk_scheduled_post_prompt_id_prompt"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_post")),
        sa.UniqueConstraint(
            "community_id",
            "kind",
            "period",
            name=op.f("uq_scheduled_post_community_id_kind_period"),
        ),
    )
    with op.batch_alter_table("scheduled_post", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scheduled_post_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_scheduled_post_team_id"), ["team_id"], unique=False)

    op.create_table(
        "snippet_tag",
        sa.Column("snippet_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["snippet_id"],
            ["snippet.id"],
            name=op.f("fk_snippet_tag_snippet_id_snippet"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("snippet_id", "tag", name=op.f("pk_snippet_tag")),
    )
    with op.batch_alter_table("snippet_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_snippet_tag_team_id"), ["team_id"], unique=False)
        batch_op.create_index("ix_snippet_tag_team_id_tag", ["team_id", "tag"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("snippet_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_snippet_tag_team_id_tag")
        batch_op.drop_index(batch_op.f("ix_snippet_tag_team_id"))

    op.drop_table("snippet_tag")
    with op.batch_alter_table("scheduled_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheduled_post_team_id"))
        batch_op.drop_index(batch_op.f("ix_scheduled_post_community_id"))

    op.drop_table("scheduled_post")
    with op.batch_alter_table("endorsement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_endorsement_user_id"))
        batch_op.drop_index(batch_op.f("ix_endorsement_team_id"))
        batch_op.drop_index(batch_op.f("ix_endorsement_snippet_id"))

    op.drop_table("endorsement")
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_snippet_team_id"))
        batch_op.drop_index("ix_snippet_community_status_created")
        batch_op.drop_index(batch_op.f("ix_snippet_community_id"))
        batch_op.drop_index(batch_op.f("ix_snippet_author_id"))

    op.drop_table("snippet")
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prompt_team_id"))
        batch_op.drop_index(batch_op.f("ix_prompt_community_id"))

    op.drop_table("prompt")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_member_team_id"))
        batch_op.drop_index(batch_op.f("ix_member_community_id"))

    op.drop_table("member")
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kudos_team_id"))
        batch_op.drop_index(batch_op.f("ix_kudos_receiver_id"))
        batch_op.drop_index(batch_op.f("ix_kudos_giver_id"))
        batch_op.drop_index(batch_op.f("ix_kudos_community_id"))
        batch_op.drop_index("ix_kudos_community_created")

    op.drop_table("kudos")
    with op.batch_alter_table("community_schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_schedule_team_id"))
        batch_op.drop_index(batch_op.f("ix_community_schedule_community_id"))

    op.drop_table("community_schedule")
    with op.batch_alter_table("community_channel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_channel_team_id"))
        batch_op.drop_index(batch_op.f("ix_community_channel_community_id"))
        batch_op.drop_index(batch_op.f("ix_community_channel_channel_id"))

    op.drop_table("community_channel")
    with op.batch_alter_table("user_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_profile_team_id"))

    op.drop_table("user_profile")
    op.drop_table("slack_oauth_states")
    with op.batch_alter_table("slack_installations", schema=None) as batch_op:
        batch_op.drop_index("slack_installations_idx")

    op.drop_table("slack_installations")
    with op.batch_alter_table("slack_bots", schema=None) as batch_op:
        batch_op.drop_index("slack_bots_idx")

    op.drop_table("slack_bots")
    with op.batch_alter_table("event_receipt", schema=None) as batch_op:
        batch_op.drop_index("ix_event_receipt_received_at")

    op.drop_table("event_receipt")
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_team_id"))

    op.drop_table("community")
    with op.batch_alter_table("channel_message", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_message_thread")
        batch_op.drop_index(batch_op.f("ix_channel_message_team_id"))
        batch_op.drop_index("ix_channel_message_posted_at")

    op.drop_table("channel_message")
