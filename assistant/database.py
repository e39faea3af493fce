"""One SQLAlchemy engine for the answers and staff tables.

SQLite under `var/` by default; PostgreSQL (or any SQLAlchemy URL) through
`ASSISTANT_ANSWERS_DB_URL`. SQLite runs in WAL mode so the NLG server reads while
the staff site writes, from separate processes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

metadata = MetaData()


def make_engine(url: str) -> Engine:
    """An engine for `url`; creates the SQLite file's folder when needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, future=True, connect_args={"check_same_thread": False, "timeout": 15}
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def create_tables(engine: Engine, attempts: int = 5) -> None:
    """Create every table that does not exist yet. Two processes may start at once,
    so a clash with the other one's `CREATE TABLE` is retried."""
    import assistant.answers.store  # registers the answer tables
    import assistant.staff.accounts  # noqa: F401  (registers the staff tables)

    for attempt in range(attempts):
        try:
            metadata.create_all(engine, checkfirst=True)
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
