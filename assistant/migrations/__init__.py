"""Alembic migrations of the answers, staff and SMS tables, applied on start.

`migrate(url_or_engine)` upgrades a database to the newest revision. It is safe when
several processes start at once: they take turns, through an advisory lock on
PostgreSQL and a lock file beside an SQLite file, and any other clash is retried.
A database made by the former `create_all` (tables, no `alembic_version`) is adopted:
the first revision creates only the tables that are missing, then records itself.
"""

from __future__ import annotations

import fcntl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from assistant.database import make_engine

SCRIPTS = Path(__file__).resolve().parent
# Alembic's `context` is process-global: one migration at a time per process.
_lock = threading.Lock()


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, without an ini file; env.py uses `connection` if given."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision in `versions/`."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def migrate(target: str | Engine, attempts: int = 5) -> None:
    """Upgrade the database at `target` (a URL or an engine) to the newest revision."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with _lock:
            for attempt in range(attempts):
                try:
                    with _sqlite_file_lock(engine), engine.begin() as connection:
                        command.upgrade(alembic_config(connection), "head")
                    return
                except DBAPIError:
                    # Most likely another process migrating at the same moment.
                    if attempt == attempts - 1:
                        raise
                    time.sleep(0.2 * (attempt + 1))
    finally:
        # Always: a migration may change its connection's settings (0001 turns SQLite's
        # foreign keys off), which must not go back into the pool.
        engine.dispose()


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """Hold `<database>.migrate-lock` while migrating an SQLite file: SQLite does not make
    DDL part of the transaction, so two processes must not interleave their steps."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_revision(target: str | Engine) -> str | None:
    """The revision the database at `target` is at; None before any migration."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        # Always: a migration may change its connection's settings (0001 turns SQLite's
        # foreign keys off), which must not go back into the pool.
        engine.dispose()
