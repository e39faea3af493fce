"""Pending back-office writes (issue 10, finding 7): assistant/backoffice/pending.py.

Revision ID: 0002_writes
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_writes"
down_revision = "0002_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_writes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("council", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("write_key", sa.String(length=64), nullable=False),
        sa.Column("client_reference", sa.String(length=40), nullable=False),
        sa.Column("lookup", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("backoffice_reference", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("told", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pending_writes_pkey")),
        sa.UniqueConstraint("client_reference", name=op.f("pending_writes_client_reference_key")),
    )
    op.create_index(
        op.f("ix_pending_writes_conversation_id"), "pending_writes", ["conversation_id"]
    )
    op.create_index(op.f("ix_pending_writes_write_key"), "pending_writes", ["write_key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_writes_write_key"), table_name="pending_writes")
    op.drop_index(op.f("ix_pending_writes_conversation_id"), table_name="pending_writes")
    op.drop_table("pending_writes")
