"""Council details and notices edited by staff; staff roles, TOTP, one-time links and
session times (issue 15, items 5 and 6): assistant/answers/details_store.py,
assistant/answers/notices.py, assistant/staff/accounts.py, assistant/staff/links.py.

Revision ID: 0006_accounts
Revises: 0005_review
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_accounts"
down_revision = "0005_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(
            sa.Column("role", sa.String(length=20), nullable=False, server_default="staff")
        )
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("staff_sessions") as batch:
        batch.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
    op.create_table(
        "staff_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_users.id"], name=op.f("staff_links_user_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("staff_links_pkey")),
        sa.UniqueConstraint("token_hash", name=op.f("staff_links_token_hash_key")),
    )
    _council_tables()


def _council_tables() -> None:
    op.create_table(
        "council_details",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("council_details_pkey")),
        sa.UniqueConstraint("scope", "name", name=op.f("council_details_scope_name_key")),
    )
    op.create_table(
        "council_detail_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=120), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("council_detail_changes_pkey")),
    )
    op.create_index(op.f("ix_council_detail_changes_scope"), "council_detail_changes", ["scope"])
    op.create_table(
        "council_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("responses", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("removed_by", sa.String(length=120), nullable=True),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("council_notices_pkey")),
    )
    op.create_index(op.f("ix_council_notices_scope"), "council_notices", ["scope"])


def downgrade() -> None:
    op.drop_index(op.f("ix_council_notices_scope"), table_name="council_notices")
    op.drop_table("council_notices")
    op.drop_index(op.f("ix_council_detail_changes_scope"), table_name="council_detail_changes")
    op.drop_table("council_detail_changes")
    op.drop_table("council_details")
    op.drop_table("staff_links")
    with op.batch_alter_table("staff_sessions") as batch:
        batch.drop_column("created_at")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")
        batch.drop_column("role")
