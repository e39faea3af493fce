"""Council details changed by the council's own staff, overriding council.yml.

One row per (council, detail) holds the value in force; every change (and every
revert to council.yml's value, which deletes the row) is kept in the audit table.
The NLG server caches them per council and reads them again when the newest audited
change moves (council_extras), so a change is live at the next reply without a restart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from assistant.database import metadata

details_table = Table(
    "council_details",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(64), nullable=False),
    Column("name", String(120), nullable=False),
    Column("value", Text, nullable=False),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("scope", "name"),
)

detail_changes_table = Table(
    "council_detail_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(64), nullable=False, index=True),
    Column("name", String(120), nullable=False),
    Column("before", Text, nullable=True),  # None: council.yml's value
    Column("after", Text, nullable=True),  # None: reverted to council.yml's value
    Column("changed_by", String(120), nullable=False),
    Column("changed_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class DetailChange:
    """One audited change of a detail."""

    id: int
    name: str
    before: str | None
    after: str | None
    changed_by: str
    changed_at: dt.datetime


class DetailStore:
    """Reads and changes council detail overrides, auditing every change."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def overrides(self, scope: str) -> dict[str, str]:
        """detail name -> the value staff set, for one council."""
        query = select(details_table.c.name, details_table.c.value).where(
            details_table.c.scope == scope
        )
        with self.engine.connect() as connection:
            return {row.name: row.value for row in connection.execute(query)}

    def save(self, scope: str, values: dict[str, str | None], by: str) -> int:
        """Set (a str) or revert to council.yml (None) each named detail; only real
        changes are written and audited. Returns how many changed."""
        now = _now()
        changed = 0
        with self.engine.begin() as connection:
            current = {
                row.name: row.value
                for row in connection.execute(
                    select(details_table.c.name, details_table.c.value).where(
                        details_table.c.scope == scope
                    )
                )
            }
            for name, value in values.items():
                before = current.get(name)
                if before == value:
                    continue
                where = (details_table.c.scope == scope, details_table.c.name == name)
                if value is None:
                    connection.execute(delete(details_table).where(*where))
                elif before is None:
                    connection.execute(
                        insert(details_table).values(
                            scope=scope, name=name, value=value, updated_by=by, updated_at=now
                        )
                    )
                else:
                    connection.execute(
                        update(details_table)
                        .where(*where)
                        .values(value=value, updated_by=by, updated_at=now)
                    )
                connection.execute(
                    insert(detail_changes_table).values(
                        scope=scope,
                        name=name,
                        before=before,
                        after=value,
                        changed_by=by,
                        changed_at=now,
                    )
                )
                changed += 1
        return changed

    def history(self, scope: str, limit: int = 100) -> list[DetailChange]:
        """The council's detail changes, newest first."""
        query = (
            select(detail_changes_table)
            .where(detail_changes_table.c.scope == scope)
            .order_by(detail_changes_table.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            DetailChange(
                int(row["id"]),
                str(row["name"]),
                row["before"],
                row["after"],
                str(row["changed_by"]),
                row["changed_at"],
            )
            for row in rows
        ]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
