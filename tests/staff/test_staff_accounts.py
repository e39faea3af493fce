"""assistant.staff.accounts and `python -m assistant staff create-user`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.cli import main
from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.staff import totp
from assistant.staff.accounts import AccountError, Accounts, users_table
from tests.support.staff import TOTP_SECRET, fresh_code


@pytest.fixture()
def accounts(tmp_path: Path) -> Accounts:
    engine = make_engine(f"sqlite:///{tmp_path}/answers.db")
    migrate(engine)
    return Accounts(engine)


def test_passwords_are_stored_as_argon2_hashes(accounts: Accounts) -> None:
    accounts.create_user("alice", "a long password", "millbrook", totp_secret=TOTP_SECRET)
    with accounts.engine.connect() as connection:
        stored = connection.execute(select(users_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "a long password" not in stored
    code = fresh_code(accounts.engine, "alice")
    assert accounts.authenticate("alice", "a long passworD", code) is None
    assert accounts.authenticate("nobody", "a long password", code) is None
    assert accounts.authenticate("alice", "a long password", code) is not None


def test_bad_accounts_are_refused_clearly(accounts: Accounts) -> None:
    accounts.create_user("alice", "a long password", "millbrook")
    with pytest.raises(AccountError, match="already an account"):
        accounts.create_user("Alice", "another long one", "millbrook")
    with pytest.raises(AccountError, match="at least 12"):
        accounts.create_user("bob", "short", "millbrook")
    with pytest.raises(AccountError, match="username"):
        accounts.create_user("x", "a long password", "millbrook")


def test_sessions_end_when_the_password_changes(accounts: Accounts) -> None:
    user = accounts.create_user("alice", "a long password", "millbrook")
    token = accounts.start_session(user)
    assert accounts.session(token).user.scope == "millbrook"
    accounts.set_password("alice", "a new long password")
    assert accounts.session(token) is None
    assert accounts.session("made-up") is None


def test_create_user_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("ASSISTANT_ANSWERS_DB_URL", f"sqlite:///{tmp_path}/a.db")
    assert main(["staff", "create-user", "mill-1", "--council", "millbrook"]) == 0
    out = capsys.readouterr().out
    assert "staff of millbrook" in out and "Password (shown once):" in out
    assert "Authenticator app key (TOTP, shown once):" in out
    assert main(["staff", "create-user", "boss", "--admin"]) == 0
    assert main(["staff", "create-user", "x-1", "--council", "atlantis"]) == 2
    assert "no council 'atlantis'" in capsys.readouterr().err
    assert main(["staff", "create-user", "mill-1", "--council", "millbrook"]) == 2


def test_make_run_demo_accounts_get_new_passwords_each_start(tmp_path: Path) -> None:
    from dataclasses import replace

    from assistant.councils import default_registry
    from assistant.settings import Settings
    from assistant.staff.commands import demo_accounts

    settings = replace(Settings.from_env(), answers_db=f"sqlite:///{tmp_path}/a.db")
    first = demo_accounts(settings, default_registry())
    second = demo_accounts(settings, default_registry())
    assert set(first) == {f"{council}-demo" for council in default_registry().ids()} | {
        "admin-demo"
    }
    engine = make_engine(settings.answers_db_url)
    accounts = Accounts(engine)
    for username in first:
        (old_password, old_secret), (password, secret) = first[username], second[username]
        assert old_password != password and old_secret != secret
        code = totp.code_at(secret)
        assert accounts.authenticate(username, old_password, code) is None
        assert accounts.authenticate(username, password, totp.code_at(old_secret)) is None
        user = accounts.authenticate(username, password, code)
        assert user is not None and user.is_admin
    password, secret = second["millbrook-demo"]
    assert (
        accounts.authenticate(
            "millbrook-demo", password, totp.code_at(secret, time.time() + 30)
        ).scope
        == "millbrook"
    )


def test_demo_accounts_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from assistant.councils import default_registry
    from assistant.settings import Settings
    from assistant.staff.commands import demo_accounts

    monkeypatch.setenv("ASSISTANT_STAFF_DEMO_ACCOUNTS", "0")
    settings = replace(Settings.from_env(), answers_db=f"sqlite:///{tmp_path}/a.db")
    assert demo_accounts(settings, default_registry()) == {}


def test_make_run_prints_each_demo_accounts_app_key() -> None:
    from assistant.settings import Settings
    from devtools.supervisor.foreground import staff_sign_ins

    secret = totp.new_secret()
    printed = staff_sign_ins(Settings.from_env(), {"millbrook-demo": ("pass-word-1", secret)})
    assert "millbrook-demo" in printed and "pass-word-1" in printed
    assert totp.grouped(secret) in printed
