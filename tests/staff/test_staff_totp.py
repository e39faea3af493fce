"""assistant.staff.totp against RFC 6238's published test values, and the sign-in
rule that a code is accepted once only."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.staff import totp
from assistant.staff.accounts import Accounts

# RFC 6238, appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("when", "eight_digits"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
    ],
)
def test_rfc_6238_values(when: int, eight_digits: str) -> None:
    assert totp.hotp(RFC_SECRET, totp.step_at(when), digits=8) == eight_digits
    assert totp.code_at(RFC_SECRET, when) == eight_digits[-6:]


def test_codes_a_step_either_side_pass_and_older_ones_do_not() -> None:
    secret = totp.new_secret()
    now = 1_800_000_000.0
    step = totp.step_at(now)
    assert totp.verify(secret, totp.code_at(secret, now - 30), None, now) == step - 1
    assert totp.verify(secret, totp.code_at(secret, now + 30), None, now) == step + 1
    assert totp.verify(secret, totp.code_at(secret, now - 90), None, now) is None
    assert totp.verify(secret, totp.code_at(secret, now), step, now) is None  # used already
    assert totp.verify(secret, "12345", None, now) is None
    assert totp.verify(secret, "abcdef", None, now) is None


@pytest.fixture()
def accounts(tmp_path: Path) -> Accounts:
    engine = make_engine(f"sqlite:///{tmp_path}/answers.db")
    migrate(engine)
    return Accounts(engine)


def test_sign_in_refuses_a_wrong_and_a_replayed_code(accounts: Accounts) -> None:
    secret = totp.new_secret()
    accounts.create_user("alice", "a long password", "millbrook", totp_secret=secret)
    code = totp.code_at(secret)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert accounts.authenticate("alice", "a long password", wrong) is None
    assert accounts.authenticate("alice", "a long password", "") is None
    assert accounts.authenticate("alice", "a long password", code) is not None
    assert accounts.authenticate("alice", "a long password", code) is None  # replayed


def test_an_invited_account_cannot_sign_in_before_it_sets_up(accounts: Accounts) -> None:
    accounts.create_user("bob", None, "millbrook")
    assert accounts.authenticate("bob", "", "") is None
    assert accounts.authenticate("bob", "!", "") is None
