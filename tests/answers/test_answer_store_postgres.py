"""The answers database on PostgreSQL: the same store and accounts code as SQLite, on a
throwaway PostgreSQL cluster started for this module (Debian's postgresql package)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answers.seed import open_book, seed_overrides
from assistant.answers.store import EditConflict
from assistant.councils import default_registry
from assistant.settings import PROJECT_ROOT
from assistant.staff.accounts import Accounts
from tests.support.databases import postgres_server


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_server(user="answers") as server:
        yield server.create_database("answers")


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
