"""What the NLG server adds to a council's replies from the staff site: its changed
details (details_store) and its dated notices (notices), cached per council.

Before each reply one cheap query reads the council's freshness stamp: the newest
detail change's id (every change and revert is audited there), the newest notice's id
and how many of its notices were removed. Only when the stamp moved are the details
and notices read again, so a change saved on the staff site, by any process, is in
the next reply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import TextClause

from assistant.answers.details_store import DetailStore, detail_changes_table
from assistant.answers.notices import Notice, NoticeStore, notices_table

Stamp = tuple[int, int, int]


@dataclass(frozen=True)
class CouncilExtras:
    """A council's detail overrides and notices not removed, as read at `stamp`."""

    stamp: Stamp
    overrides: dict[str, str]
    notices: tuple[Notice, ...]

    def showing(self, response: str, today: dt.date) -> list[str]:
        """The texts of the notices for `response` in force on `today`."""
        return [
            notice.text
            for notice in self.notices
            if notice.starts_on <= today <= notice.ends_on and response in notice.responses
        ]


class CouncilExtrasCache:
    """Each council's extras, read again only when its freshness stamp moves."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.details = DetailStore(engine)
        self.notices = NoticeStore(engine)
        self._cached: dict[str, CouncilExtras] = {}
        self.reads = 0  # full reads, for tests and benchmarks

    def get(self, council_id: str) -> CouncilExtras:
        """The council's extras as they are now in the database."""
        stamp = self.stamp(council_id)
        cached = self._cached.get(council_id)
        if cached is not None and cached.stamp == stamp:
            return cached
        self.reads += 1
        extras = CouncilExtras(
            stamp,
            self.details.overrides(council_id),
            tuple(self.notices.listed(council_id)),
        )
        self._cached[council_id] = extras
        return extras

    def stamp(self, council_id: str) -> Stamp:
        """(newest detail change, newest notice, notices removed) for the council."""
        with self.engine.connect() as connection:
            row = connection.execute(STAMP_QUERY, {"council": council_id}).one()
        return int(row[0]), int(row[1]), int(row[2])


def stamp_query() -> TextClause:
    """The freshness stamp's query, for any council (`:council`). Plain SQL, built once:
    SQLAlchemy builds and keys an expression anew at every use, which was half of the
    NLG server's time per request (py-spy)."""
    changes, notices = detail_changes_table.name, notices_table.name
    return text(
        f"SELECT (SELECT coalesce(max(id), 0) FROM {changes} WHERE scope = :council), "
        f"(SELECT coalesce(max(id), 0) FROM {notices} WHERE scope = :council), "
        f"(SELECT count(removed_at) FROM {notices} WHERE scope = :council)"
    )


STAMP_QUERY = stamp_query()
