"""The review queue and the staff audit log (issue 15, items 3 and 4):
assistant/review/suggestions.py and assistant/review/audit.py.

Revision ID: 0005_review
Revises: 0004_staff (the lead re-chains at merge)
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_review"
down_revision = "0004_staff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intent_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("times_asked", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("suggested_by", sa.String(length=80), nullable=False),
        sa.Column("suggested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("intent_suggestions_pkey")),
    )
    op.create_index(
        op.f("ix_intent_suggestions_council"), "intent_suggestions", ["council"], unique=False
    )
    op.create_table(
        "staff_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("user_scope", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("council", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("staff_audit_log_pkey")),
    )
    op.create_index(
        op.f("ix_staff_audit_log_council"), "staff_audit_log", ["council"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_audit_log_council"), table_name="staff_audit_log")
    op.drop_table("staff_audit_log")
    op.drop_index(op.f("ix_intent_suggestions_council"), table_name="intent_suggestions")
    op.drop_table("intent_suggestions")
