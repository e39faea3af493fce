"""Rasa's SQL tracker store on a SQLite file, with its connections pooled (issue 14).

Rasa's `SQLTrackerStore` gives SQLAlchemy 1.4 no pool settings for SQLite, so
every read and every save of a conversation opened the database file and closed it
again. In WAL mode (the tracker file is shared with the staff site's insight
pages, assistant/insight) the last connection to close also checkpoints the log
into the database. Measured on the shared model in one process, four text
messages per conversation, alternating runs: 55 ms median per message unpooled,
39 ms pooled.

`install()` makes Rasa create its SQLite engine with the project's own SQLite pool
settings (`assistant.database.sqlite_pool_settings`: a `QueuePool`, as SQLAlchemy 2
does for files, and the same busy timeout). PostgreSQL keeps Rasa's own settings (a pool, sized by
`SQL_POOL_SIZE`); nothing else about the store changes.
"""

from __future__ import annotations

from typing import Any

import rasa.core.tracker_store as rasa_tracker_store
from sqlalchemy.engine import URL, make_url

from assistant.database import sqlite_pool_settings

_rasa_engine_kwargs = rasa_tracker_store.create_engine_kwargs


def is_sqlite_file(url: str | URL) -> bool:
    """True for a SQLite database in a file (not in memory)."""
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")


def create_engine_kwargs(url: str | URL) -> dict[str, Any]:
    """Rasa's engine settings, with a pool for a SQLite file."""
    if not is_sqlite_file(url):
        return _rasa_engine_kwargs(url)
    return sqlite_pool_settings()


def install() -> None:
    """Pool Rasa's SQLite tracker store connections (idempotent)."""
    rasa_tracker_store.create_engine_kwargs = create_engine_kwargs
