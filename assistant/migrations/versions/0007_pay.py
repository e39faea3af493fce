"""Payment links (issue 12, item 2): assistant/backoffice/payment_links.py.

Revision ID: 0007_pay
Revises: 0006_accounts
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_pay"
down_revision = "0006_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_key", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("council", sa.String(length=40), nullable=False),
        sa.Column("write_key", sa.String(length=64), nullable=False),
        sa.Column("client_reference", sa.String(length=40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=True),
        sa.Column("next_url", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("failure_code", sa.String(length=10), nullable=True),
        sa.Column("told", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("payment_links_pkey")),
        sa.UniqueConstraint("return_key", name=op.f("payment_links_return_key_key")),
        sa.UniqueConstraint("client_reference", name=op.f("payment_links_client_reference_key")),
    )
    op.create_index(op.f("ix_payment_links_conversation_id"), "payment_links", ["conversation_id"])
    op.create_index(op.f("ix_payment_links_write_key"), "payment_links", ["write_key"])
    op.create_table(
        "payment_link_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("payment_link_tokens_pkey")),
    )
    op.create_index(op.f("ix_payment_link_tokens_link_id"), "payment_link_tokens", ["link_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_payment_link_tokens_link_id"), table_name="payment_link_tokens")
    op.drop_table("payment_link_tokens")
    op.drop_index(op.f("ix_payment_links_write_key"), table_name="payment_links")
    op.drop_index(op.f("ix_payment_links_conversation_id"), table_name="payment_links")
    op.drop_table("payment_links")
