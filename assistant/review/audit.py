"""The staff audit log: who looked at what, and when (issue 15, item 4).

One row per view of a resident's conversation. Only the conversation's key (a hash of
its id), the council and the member of staff are stored: never what was said.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, Integer, String, Table, insert, select
from sqlalchemy.engine import Engine

from assistant.database import metadata

VIEW_TRANSCRIPT = "view_transcript"

audit_table = Table(
    "staff_audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("username", String(80), nullable=False),
    Column("user_scope", String(64), nullable=False),
    Column("action", String(40), nullable=False),
    Column("council", String(64), nullable=False, index=True),
    Column("subject", String(64), nullable=False),
)


@dataclass(frozen=True)
class AuditEntry:
    """One audited action."""

    at: dt.datetime
    username: str
    user_scope: str
    action: str
    council: str
    subject: str


class AuditLog:
    """Appends to and reads the audit log in the answers database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(
        self, username: str, user_scope: str, action: str, council: str, subject: str
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(audit_table).values(
                    at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                    username=username,
                    user_scope=user_scope,
                    action=action,
                    council=council,
                    subject=subject,
                )
            )

    def entries(self, council: str | None = None, limit: int = 200) -> list[AuditEntry]:
        """The newest entries first (one council's, or all when None)."""
        query = select(audit_table).order_by(audit_table.c.id.desc()).limit(limit)
        if council is not None:
            query = query.where(audit_table.c.council == council)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            AuditEntry(
                row["at"],
                row["username"],
                row["user_scope"],
                row["action"],
                row["council"],
                row["subject"],
            )
            for row in rows
        ]
