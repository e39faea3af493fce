"""Failed identity checks and staff sign-ins, counted across processes (issue 10,
findings 3 and 10): one row per hashed key.

Revision ID: 0002_limits
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_limits"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempt_counters",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("attempt_counters_pkey")),
    )


def downgrade() -> None:
    op.drop_table("attempt_counters")
