"""Staff accounts and their sign-in sessions.

Each account belongs to one scope: a council id (that council's staff) or
SHARED_SCOPE (administrators of the shared defaults). Passwords are stored as
Argon2id hashes. A session is a random token in a cookie; only its SHA-256 is
stored, with the session's CSRF token and expiry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from assistant.database import metadata

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,79}$")
MIN_PASSWORD_CHARS = 12
SESSION_HOURS = 8

users_table = Table(
    "staff_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("scope", String(64), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

sessions_table = Table(
    "staff_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("staff_users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """An account cannot be created or changed; the message says why."""


@dataclass(frozen=True)
class StaffUser:
    """A signed-in member of staff."""

    id: int
    username: str
    scope: str


@dataclass(frozen=True)
class StaffSession:
    """A live session: who, and the CSRF token its forms must carry."""

    user: StaffUser
    csrf_token: str


class Accounts:
    """Staff accounts and sessions in the answers database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_user(self, username: str, password: str, scope: str) -> StaffUser:
        """Add an account; AccountError for a bad name, a weak password or a taken name."""
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise AccountError(
                "A username is 3 to 80 characters: lower-case letters, digits, . _ @ or -."
            )
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"A password must be at least {MIN_PASSWORD_CHARS} characters.")
        try:
            with self.engine.begin() as connection:
                result = connection.execute(
                    insert(users_table).values(
                        username=username,
                        password_hash=_hasher.hash(password),
                        scope=scope,
                        active=True,
                        created_at=_now(),
                    )
                )
                user_id = int(result.inserted_primary_key[0])
        except IntegrityError:
            raise AccountError(f"There is already an account called {username}.") from None
        return StaffUser(user_id, username, scope)

    def set_password(self, username: str, password: str) -> None:
        """Replace an account's password (and end its sessions)."""
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"A password must be at least {MIN_PASSWORD_CHARS} characters.")
        with self.engine.begin() as connection:
            row = connection.execute(
                select(users_table.c.id).where(users_table.c.username == username)
            ).first()
            if row is None:
                raise AccountError(f"There is no account called {username}.")
            connection.execute(
                update(users_table)
                .where(users_table.c.id == row.id)
                .values(password_hash=_hasher.hash(password))
            )
            connection.execute(delete(sessions_table).where(sessions_table.c.user_id == row.id))

    def exists(self, username: str) -> bool:
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    select(users_table.c.id).where(users_table.c.username == username)
                ).first()
                is not None
            )

    def authenticate(self, username: str, password: str) -> StaffUser | None:
        """The account if the password is right (and the account active), else None."""
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    select(users_table).where(users_table.c.username == username.strip().lower())
                )
                .mappings()
                .first()
            )
        stored = row["password_hash"] if row is not None else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row["active"]:
            return None
        if _hasher.check_needs_rehash(stored):
            with self.engine.begin() as connection:
                connection.execute(
                    update(users_table)
                    .where(users_table.c.id == row["id"])
                    .values(password_hash=_hasher.hash(password))
                )
        return StaffUser(int(row["id"]), str(row["username"]), str(row["scope"]))

    def start_session(self, user: StaffUser) -> str:
        """A new session for `user`; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(delete(sessions_table).where(sessions_table.c.expires_at < _now()))
            connection.execute(
                insert(sessions_table).values(
                    token_hash=_digest(token),
                    user_id=user.id,
                    csrf_token=secrets.token_urlsafe(32),
                    expires_at=_now() + dt.timedelta(hours=SESSION_HOURS),
                )
            )
        return token

    def session(self, token: str | None) -> StaffSession | None:
        """The live session for a cookie token, or None."""
        if not token:
            return None
        query = (
            select(
                sessions_table, users_table.c.username, users_table.c.scope, users_table.c.active
            )
            .join(users_table, users_table.c.id == sessions_table.c.user_id)
            .where(sessions_table.c.token_hash == _digest(token))
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None or row["expires_at"] < _now() or not row["active"]:
            return None
        user = StaffUser(int(row["user_id"]), str(row["username"]), str(row["scope"]))
        return StaffSession(user, str(row["csrf_token"]))

    def end_session(self, token: str | None) -> None:
        if token:
            with self.engine.begin() as connection:
                connection.execute(
                    delete(sessions_table).where(sessions_table.c.token_hash == _digest(token))
                )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
