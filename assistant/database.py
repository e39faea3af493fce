"""The one SQLAlchemy `MetaData` of the project's own tables, and the engine factory.

The answers, staff and SMS tables all belong to `metadata`; their modules import it,
and this module imports none of them. The schema is made by the Alembic migrations
in `assistant.migrations` (`migrate`), never by `create_all`.

SQLite under `var/` by default; PostgreSQL (or any SQLAlchemy URL) through the
settings. SQLite runs in WAL mode so the NLG server reads while the staff site
writes, from separate processes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

# Constraint names are given by these rules, so that migrations name them the same on
# every database. They are PostgreSQL's own defaults, which tables made by the former
# `create_all` already have there.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def private_file(path: Path) -> None:
    """Make `path` (and its folder) if missing, readable by its owner only (0600):
    the databases hold residents' and staff data. SQLite gives its -wal and -shm
    files the database's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    try:
        os.chmod(path, 0o600)
    except PermissionError:  # not ours to change: leave it as its owner set it
        pass


def sqlite_pool_settings() -> dict[str, Any]:
    """`create_engine` settings for a SQLite file, shared with Rasa's tracker store
    (rasa_plugins/sqlite_trackers.py): pooled, as SQLAlchemy 2 does for files (1.4's
    default opens a connection for every use: most of an NLG reply's time, issue 14)."""
    return {
        "poolclass": QueuePool,
        "pool_size": 4,
        "max_overflow": 16,
        "connect_args": {"check_same_thread": False, "timeout": 15},
    }


def make_engine(url: str) -> Engine:
    """An engine for `url`; creates the SQLite file's folder when needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)
    if parsed.database and parsed.database != ":memory:":
        private_file(Path(parsed.database))
    # Connections are made after a service starts, never shared across a fork.
    engine = create_engine(url, future=True, **sqlite_pool_settings())

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine
