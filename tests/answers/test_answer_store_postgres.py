"""The answers database on PostgreSQL: the same store and accounts code as SQLite, on a
throwaway PostgreSQL cluster started for this module (Debian's postgresql package)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answers.seed import open_book, seed_overrides
from assistant.answers.store import EditConflict
from assistant.councils import default_registry
from assistant.settings import PROJECT_ROOT
from assistant.staff.accounts import Accounts

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command: str) -> list[str]:
    """Run as the `postgres` user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    workdir = Path(tempfile.mkdtemp(prefix="answers-pg-"))
    data = workdir / "data"
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "answers", "--auth=trust"),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(workdir / "log"),
            "-o",
            f"-p {port} -k {workdir} -h 127.0.0.1",
            "start",
        ),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            as_postgres(
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "answers",
                "answers",
            ),
            check=True,
            capture_output=True,
        )
        yield f"postgresql://answers@127.0.0.1:{port}/answers"
    finally:
        subprocess.run(
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"),
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def test_overrides_versions_and_audit_on_postgres(postgres_url: str) -> None:
    book = open_book(postgres_url, PROJECT_ROOT / "domain.yml", default_registry())
    assert seed_overrides(book, PROJECT_ROOT / "councils") >= 1
    response = "utter_parking_permit"
    book.store.save("millbrook", response, "PG {link_parking}", None, 0, "alice")
    with pytest.raises(EditConflict):
        book.store.save("millbrook", response, "Stale", None, 0, "bob")
    council = book.registry.get("millbrook")
    rendered = book.render(response, council, council.template_vars(), sms=False)
    assert rendered is not None and rendered.text.startswith("PG https://")
    assert book.store.history("millbrook", response)[0].changed_by == "alice"


def test_accounts_and_sessions_on_postgres(postgres_url: str) -> None:
    book = open_book(postgres_url, PROJECT_ROOT / "domain.yml", default_registry())
    accounts = Accounts(book.store.engine)
    user = accounts.create_user("pg-user", "a long password", "brackenbury")
    token = accounts.start_session(user)
    assert accounts.session(token).user.username == "pg-user"
    assert accounts.authenticate("pg-user", "wrong password") is None
