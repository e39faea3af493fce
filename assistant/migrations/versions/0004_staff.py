"""The insight summary (issue 15, item 2): assistant/insight/summary.py.

Revision ID: 0004_staff
Revises: 0003_writes (the lead re-chains at merge)
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_staff"
down_revision = "0003_writes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight_cursor",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("insight_cursor_pkey")),
    )
    op.create_table(
        "insight_counts",
        sa.Column("council", sa.String(length=64), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("item", sa.String(length=120), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "council", "day", "metric", "item", name=op.f("insight_counts_pkey")
        ),
    )
    op.create_table(
        "insight_conversations",
        sa.Column("conversation", sa.String(length=64), nullable=False),
        sa.Column("council", sa.String(length=64), nullable=True),
        sa.Column("last_day", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("conversation", name=op.f("insight_conversations_pkey")),
    )


def downgrade() -> None:
    op.drop_table("insight_conversations")
    op.drop_table("insight_counts")
    op.drop_table("insight_cursor")
