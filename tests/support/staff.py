"""Signing in to the staff site in tests: every test account has the same TOTP
secret, and the code is computed from it as an authenticator app would."""

from __future__ import annotations

import base64

from sqlalchemy import update
from sqlalchemy.engine import Engine

from assistant.staff import totp
from assistant.staff.accounts import users_table

TOTP_SECRET = base64.b32encode(b"staff tests: not a real secret!").decode().rstrip("=")


def fresh_code(engine: Engine, username: str, secret: str = TOTP_SECRET) -> str:
    """A code the account accepts now. Each code works once, and tests sign the same
    account in many times within 30 seconds: the last step used is forgotten first
    (tests of the replay rule itself use `totp.code_at` directly)."""
    with engine.begin() as connection:
        connection.execute(
            update(users_table)
            .where(users_table.c.username == username)
            .values(totp_last_step=None)
        )
    return totp.code_at(secret)
