"""The Alembic migrations: an empty SQLite and an empty PostgreSQL reach the newest
revision with exactly the models' schema; a second run changes nothing; a database made
by the former `create_all` is adopted; processes starting together do not clash."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, insert, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from assistant.answers.store import AnswerStore
from assistant.cli import main
from assistant.database import make_engine, metadata
from assistant.migrations import current_revision, head_revision, migrate
from assistant.migrations.schema import model_metadata
from assistant.rasa_plugins.channels.sms_store import SmsStore
from assistant.settings import PROJECT_ROOT
from assistant.staff.accounts import Accounts, _digest, sessions_table, users_table
from tests.support.databases import Postgres, postgres_server

TABLES = {
    "answer_overrides",
    "answer_changes",
    "staff_users",
    "staff_sessions",
    "sms_opt_outs",
    "sms_inbound",
    "sms_choices",
}

# What the former `create_all` made on SQLite (var/answers.db and var/sms.db of
# existing clones), statement for statement.
LEGACY_ANSWERS_DDL = [
    """CREATE TABLE answer_changes (id INTEGER NOT NULL, scope VARCHAR(64) NOT NULL,
    response VARCHAR(200) NOT NULL, changed_at DATETIME NOT NULL,
    changed_by VARCHAR(120) NOT NULL, kind VARCHAR(20) NOT NULL, before_text TEXT,
    before_sms TEXT, after_text TEXT, after_sms TEXT, version INTEGER NOT NULL,
    PRIMARY KEY (id))""",
    "CREATE INDEX ix_answer_changes_scope ON answer_changes (scope)",
    """CREATE TABLE answer_overrides (id INTEGER NOT NULL, scope VARCHAR(64) NOT NULL,
    response VARCHAR(200) NOT NULL, text TEXT, sms_text TEXT, version INTEGER NOT NULL,
    updated_at DATETIME NOT NULL, updated_by VARCHAR(120) NOT NULL, PRIMARY KEY (id),
    CONSTRAINT uq_answer_scope_response UNIQUE (scope, response))""",
    """CREATE TABLE staff_users (id INTEGER NOT NULL, username VARCHAR(80) NOT NULL,
    password_hash VARCHAR(255) NOT NULL, scope VARCHAR(64) NOT NULL,
    active BOOLEAN NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id),
    UNIQUE (username))""",
    """CREATE TABLE staff_sessions (id INTEGER NOT NULL, token_hash VARCHAR(64) NOT NULL,
    user_id INTEGER NOT NULL, csrf_token VARCHAR(64) NOT NULL,
    expires_at DATETIME NOT NULL, PRIMARY KEY (id), UNIQUE (token_hash),
    FOREIGN KEY(user_id) REFERENCES staff_users (id))""",
]
LEGACY_SMS_DDL = [
    """CREATE TABLE sms_choices (conversation_id VARCHAR(80) NOT NULL,
    choices TEXT NOT NULL, updated_at DATETIME NOT NULL, PRIMARY KEY (conversation_id))""",
    """CREATE TABLE sms_inbound (gateway VARCHAR(32) NOT NULL,
    message_id VARCHAR(128) NOT NULL, status VARCHAR(16) NOT NULL, reply TEXT,
    received_at DATETIME NOT NULL, PRIMARY KEY (gateway, message_id))""",
    """CREATE TABLE sms_opt_outs (conversation_id VARCHAR(80) NOT NULL,
    opted_out_at DATETIME NOT NULL, PRIMARY KEY (conversation_id))""",
]
FAKE_SESSION = {
    "token_hash": "0" * 64,
    "csrf_token": "c" * 64,
    "expires_at": dt.datetime(2030, 1, 1),
}


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with postgres_server(user="migrations") as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database of each kind (a new PostgreSQL database per test)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/empty.db"
    server: Postgres = request.getfixturevalue("postgres")
    return server.create_database(f"empty_{tmp_path.name.lower()}"[:60])


def differences(engine: Engine, target: MetaData | None = None) -> list[object]:
    """What Alembic's autogenerate would change to make the database match the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        return compare_metadata(context, target if target is not None else model_metadata())


def version_rows(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [
            row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        ]


def test_an_empty_database_migrates_to_exactly_the_models(empty_url: str) -> None:
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert TABLES <= set(inspect(engine).get_table_names())
    # A model column, table, index or constraint without a migration fails here.
    assert differences(engine) == []
    engine.dispose()


def test_the_comparison_sees_a_model_change_that_has_no_migration(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/answers.db")
    migrate(engine)
    changed = MetaData(naming_convention=metadata.naming_convention)
    for table in model_metadata().sorted_tables:
        table.to_metadata(changed)
    changed.tables["answer_overrides"].append_column(Column("notes", String(40)))
    found = differences(engine, changed)
    assert [(diff[0], diff[3].name) for diff in found] == [("add_column", "notes")]  # type: ignore[index]


def test_migrating_again_changes_nothing(empty_url: str) -> None:
    engine = make_engine(empty_url)
    migrate(engine)
    store = AnswerStore(engine)
    store.save("millbrook", "utter_greet", "Hello", None, 0, "alice")
    migrate(engine)
    migrate(empty_url)  # by URL, as the command line does
    assert version_rows(engine) == [head_revision()]
    assert store.get("millbrook", "utter_greet").text == "Hello"
    assert differences(engine) == []
    engine.dispose()


def legacy_sqlite(path: Path, statements: list[str]) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()
    return url


def legacy_account(engine: Engine) -> str:
    """An account "alice" and a session, with only the columns the legacy tables have
    (as the code of that time wrote them); returns the session's token."""
    token = "legacy session token"
    with engine.begin() as connection:
        user_id = connection.execute(
            insert(users_table).values(
                username="alice",
                password_hash="x",
                scope="brackenbury",
                active=True,
                created_at=dt.datetime(2026, 1, 1),
            )
        ).inserted_primary_key[0]
        connection.execute(
            insert(sessions_table).values(
                **{**FAKE_SESSION, "token_hash": _digest(token), "user_id": user_id}
            )
        )
    return token


def test_a_create_all_answers_database_is_adopted(tmp_path: Path) -> None:
    url = legacy_sqlite(tmp_path / "answers.db", LEGACY_ANSWERS_DDL)
    engine = make_engine(url)
    AnswerStore(engine).save("brackenbury", "utter_greet", "Kept", None, 0, "alice")
    token = legacy_account(engine)
    migrate(engine)
    assert current_revision(engine) == head_revision()
    store = AnswerStore(engine)
    assert store.get("brackenbury", "utter_greet").version == 1
    assert store.history("brackenbury")[0].after_text == "Kept"
    assert Accounts(engine).session(token).user.username == "alice"
    assert TABLES <= set(inspect(engine).get_table_names())  # the SMS tables are added
    assert differences(engine) == []  # constraints now carry the same names as on a new one
    # Foreign keys are still enforced on the database's connections.
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(sessions_table).values(**{**FAKE_SESSION, "user_id": 99}))
    engine.dispose()


def test_a_create_all_sms_database_is_adopted_when_the_channel_starts(tmp_path: Path) -> None:
    url = legacy_sqlite(tmp_path / "sms.db", LEGACY_SMS_DDL)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO sms_opt_outs VALUES ('sms-abc', '2026-01-01 00:00:00.000000')")
        )
    store = SmsStore(url)
    assert store.is_opted_out("sms-abc")
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []
    engine.dispose()


MIGRATE_AT = """
import sys, time
from assistant.migrations import migrate
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
migrate(sys.argv[1])
"""


def migrate_in_processes(url: str, count: int = 3) -> None:
    """Start `count` processes that each migrate `url` at the same moment."""
    start = time.time() + 4  # after every interpreter has imported Alembic
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE_AT, url, str(start)],
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    for process in processes:
        _, error = process.communicate(timeout=120)
        assert process.returncode == 0, error


def test_processes_starting_together_all_migrate(empty_url: str) -> None:
    migrate_in_processes(empty_url)
    engine = make_engine(empty_url)
    assert version_rows(engine) == [head_revision()]
    assert differences(engine) == []
    engine.dispose()


def test_processes_starting_together_adopt_a_create_all_database(tmp_path: Path) -> None:
    url = legacy_sqlite(tmp_path / "answers.db", LEGACY_ANSWERS_DDL + LEGACY_SMS_DDL)
    engine = make_engine(url)
    token = legacy_account(engine)
    migrate_in_processes(url)
    assert version_rows(engine) == [head_revision()]
    assert Accounts(engine).session(token).user.username == "alice"
    assert differences(engine) == []
    engine.dispose()


def test_db_commands_upgrade_and_report_without_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/answers.db"
    assert main(["db", "current", "--url", url]) == 0
    assert "revision none" in capsys.readouterr().out
    assert main(["db", "upgrade", "--url", url]) == 0
    assert f"revision {head_revision()} (up to date)" in capsys.readouterr().out
    assert current_revision(url) == head_revision()
    unreachable = "postgresql://staff:hunter2-secret@127.0.0.1:9/answers"
    assert main(["db", "current", "--url", unreachable]) == 1
    err = capsys.readouterr().err
    assert "127.0.0.1" in err and "hunter2-secret" not in err
