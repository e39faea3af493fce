"""Alembic's environment: runs the migrations on the connection `migrate` passes in,
or, from Alembic's own command line, on the database named by `-x url=` or the
settings (the answers database)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from assistant.database import make_engine
from assistant.migrations.schema import model_metadata

# Any constant: PostgreSQL serialises processes that migrate the same database at once.
ADVISORY_LOCK_KEY = 0x61_6E_73_77


def run(connection: Connection, compare: bool) -> None:
    """Upgrade (or compare, for autogenerate) on `connection`, in one transaction."""
    context.configure(
        connection=connection,
        target_metadata=model_metadata() if compare else None,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            lock = text("SELECT pg_advisory_xact_lock(:key)")
            connection.execute(lock, {"key": ADVISORY_LOCK_KEY})
        context.run_migrations()


def command_line_url() -> str:
    """The database for Alembic's own command line."""
    url = context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return url
    from assistant.settings import Settings

    return Settings.from_env().answers_db_url


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported")
given = context.config.attributes.get("connection")
if given is not None:
    run(given, compare=False)
else:
    engine = make_engine(command_line_url())
    with engine.connect() as connection:
        run(connection, compare=True)
    engine.dispose()
