"""The answers, staff and SMS tables, as the former `create_all` made them.

This is the baseline: on a database that `create_all` made before there were
migrations it creates only the tables that are missing (an answers database has no
SMS tables, an SMS database no answers tables), so that database is adopted as is.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def answer_overrides() -> None:
    op.create_table(
        "answer_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("response", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("sms_text", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("answer_overrides_pkey")),
        sa.UniqueConstraint("scope", "response", name="uq_answer_scope_response"),
    )


def answer_changes() -> None:
    op.create_table(
        "answer_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("response", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("before_text", sa.Text(), nullable=True),
        sa.Column("before_sms", sa.Text(), nullable=True),
        sa.Column("after_text", sa.Text(), nullable=True),
        sa.Column("after_sms", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("answer_changes_pkey")),
    )
    op.create_index(op.f("ix_answer_changes_scope"), "answer_changes", ["scope"], unique=False)


def staff_users() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("staff_users_pkey")),
        sa.UniqueConstraint("username", name=op.f("staff_users_username_key")),
    )


def staff_sessions() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_users.id"], name=op.f("staff_sessions_user_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("staff_sessions_pkey")),
        sa.UniqueConstraint("token_hash", name=op.f("staff_sessions_token_hash_key")),
    )


def sms_opt_outs() -> None:
    op.create_table(
        "sms_opt_outs",
        sa.Column("conversation_id", sa.String(length=80), nullable=False),
        sa.Column("opted_out_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("sms_opt_outs_pkey")),
    )


def sms_inbound() -> None:
    op.create_table(
        "sms_inbound",
        sa.Column("gateway", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("gateway", "message_id", name=op.f("sms_inbound_pkey")),
    )


def sms_choices() -> None:
    op.create_table(
        "sms_choices",
        sa.Column("conversation_id", sa.String(length=80), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("sms_choices_pkey")),
    )


# In dependency order (staff_sessions refers to staff_users).
TABLES: dict[str, Callable[[], None]] = {
    "answer_overrides": answer_overrides,
    "answer_changes": answer_changes,
    "staff_users": staff_users,
    "staff_sessions": staff_sessions,
    "sms_opt_outs": sms_opt_outs,
    "sms_inbound": sms_inbound,
    "sms_choices": sms_choices,
}


# assistant.database's convention when this revision was written.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}


def name_sqlite_constraints(adopted: list[str]) -> None:
    """`create_all` left unique constraints unnamed on SQLite: rebuild those tables so
    they carry the names a migrated database has (PostgreSQL had named them already)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    inspector = sa.inspect(bind)
    unnamed = [
        name
        for name in adopted
        if any(unique["name"] is None for unique in inspector.get_unique_constraints(name))
    ]
    if not unnamed:
        return
    # Dropping the old staff_users would trip staff_sessions' foreign key. No transaction
    # is open yet (DDL does not start one), so this applies; migrate() drops this
    # connection from the engine's pool afterwards, so it ends with this one.
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    for name in unnamed:
        with op.batch_alter_table(name, recreate="always", naming_convention=NAMING_CONVENTION):
            pass
    if bind.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
        raise RuntimeError("a foreign key is broken after naming the constraints")


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, create in TABLES.items():
        if name not in existing:
            create()
    name_sqlite_constraints([name for name in TABLES if name in existing])


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
