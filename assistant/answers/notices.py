"""Dated notices: a council's short message shown with chosen answers between two
dates, inclusive, in Europe/London (for example changed bin days over Christmas).

The NLG server asks `showing` for every reply; a notice is put before the answer.
Removing a notice keeps its row (audit), marked removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Date, DateTime, Integer, String, Table, Text, insert, select, update
from sqlalchemy.engine import Engine

from assistant.database import metadata

LONDON = ZoneInfo("Europe/London")
MAX_NOTICE_CHARS = 300

notices_table = Table(
    "council_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(64), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("responses", Text, nullable=False),  # response names, space-separated
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("removed_by", String(120), nullable=True),
    Column("removed_at", DateTime, nullable=True),
)


@dataclass(frozen=True)
class Notice:
    """A notice and the answers it is shown with."""

    id: int
    text: str
    starts_on: dt.date
    ends_on: dt.date
    responses: tuple[str, ...]
    created_by: str


def london_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Europe/London (`now` is timezone-aware, default the clock)."""
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(LONDON).date()


class NoticeStore:
    """A council's dated notices."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self,
        scope: str,
        text: str,
        starts_on: dt.date,
        ends_on: dt.date,
        responses: list[str],
        by: str,
    ) -> int:
        with self.engine.begin() as connection:
            result = connection.execute(
                insert(notices_table).values(
                    scope=scope,
                    text=text,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    responses=" ".join(responses),
                    created_by=by,
                    created_at=_now(),
                )
            )
            return int(result.inserted_primary_key[0])

    def remove(self, scope: str, notice_id: int, by: str) -> bool:
        """Take a notice down; False when the council has no such notice."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(notices_table)
                .where(
                    notices_table.c.id == notice_id,
                    notices_table.c.scope == scope,
                    notices_table.c.removed_at.is_(None),
                )
                .values(removed_by=by, removed_at=_now())
            )
        return bool(result.rowcount == 1)

    def listed(self, scope: str) -> list[Notice]:
        """The council's notices not removed, latest end first."""
        return self._query(scope, None)

    def showing(self, scope: str, response: str, today: dt.date) -> list[str]:
        """The texts of the council's notices for `response` in force on `today`."""
        return [notice.text for notice in self._query(scope, today) if response in notice.responses]

    def _query(self, scope: str, today: dt.date | None) -> list[Notice]:
        query = select(notices_table).where(
            notices_table.c.scope == scope, notices_table.c.removed_at.is_(None)
        )
        if today is not None:
            query = query.where(
                notices_table.c.starts_on <= today, notices_table.c.ends_on >= today
            )
        query = query.order_by(notices_table.c.ends_on.desc(), notices_table.c.id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            Notice(
                int(row["id"]),
                str(row["text"]),
                row["starts_on"],
                row["ends_on"],
                tuple(str(row["responses"]).split()),
                str(row["created_by"]),
            )
            for row in rows
        ]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
