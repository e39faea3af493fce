"""Staff accounts and their sign-in sessions.

Each account belongs to one scope: a council id (that council's staff) or
SHARED_SCOPE (administrators of the shared defaults). Passwords are stored as
Argon2id hashes. Every sign-in also needs the code of the account's TOTP app
(`totp`); a code's step is stored so it is never accepted twice. A session is a random
token in a cookie; only its SHA-256 is stored, with the session's CSRF token and expiry.
An account's `role` is `staff` or `admin` (manages its own scope's accounts). An
invited account has no usable password and no TOTP secret until its invite is taken up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

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
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from assistant.database import metadata
from assistant.staff import totp
from assistant.staff.account_errors import AccountError

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,79}$")
MIN_PASSWORD_CHARS = 12
SESSION_HOURS = 8
ROLES = ("staff", "admin")
UNUSABLE_HASH = "!"  # an invited account's: no password verifies against it

users_table = Table(
    "staff_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("scope", String(64), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
    Column("role", String(20), nullable=False, server_default="staff"),
    Column("totp_secret", String(64), nullable=True),  # base32; never logged or shown again
    Column("totp_last_step", Integer, nullable=True),
)

sessions_table = Table(
    "staff_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("staff_users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("created_at", DateTime, nullable=True),
)

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class StaffUser:
    """A signed-in member of staff."""

    id: int
    username: str
    scope: str
    role: str = "staff"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class StaffSession:
    """A live session: who, and the CSRF token its forms must carry."""

    user: StaffUser
    csrf_token: str
    id: int = 0


@dataclass(frozen=True)
class Member:
    """One account of a scope, as its administrator sees it."""

    id: int
    username: str
    role: str
    active: bool
    enrolled: bool  # has a password and a TOTP app
    sessions: int


@dataclass(frozen=True)
class SessionInfo:
    """One of an account's live sessions (never its token)."""

    id: int
    created_at: dt.datetime | None
    expires_at: dt.datetime


class Accounts:
    """Staff accounts and sessions in the answers database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_user(
        self,
        username: str,
        password: str | None,
        scope: str,
        role: str = "staff",
        totp_secret: str | None = None,
    ) -> StaffUser:
        """Add an account; AccountError for a bad name, a weak password or a taken name.
        Without a password (an invite) it cannot sign in until `enrol`."""
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise AccountError("username_form")
        if role not in ROLES:
            raise AccountError("role")
        if password is not None:
            check_password(password)
        try:
            with self.engine.begin() as connection:
                result = connection.execute(
                    insert(users_table).values(
                        username=username,
                        password_hash=_hasher.hash(password) if password else UNUSABLE_HASH,
                        scope=scope,
                        active=True,
                        created_at=_now(),
                        role=role,
                        totp_secret=totp_secret if password else None,
                    )
                )
                user_id = int(result.inserted_primary_key[0])
        except IntegrityError:
            raise AccountError("taken", username=username) from None
        return StaffUser(user_id, username, scope, role)

    def set_password(self, username: str, password: str) -> None:
        """Replace an account's password (and end its sessions)."""
        check_password(password)
        user_id = self._id_of(username)
        with self.engine.begin() as connection:
            connection.execute(
                update(users_table)
                .where(users_table.c.id == user_id)
                .values(password_hash=_hasher.hash(password))
            )
            connection.execute(delete(sessions_table).where(sessions_table.c.user_id == user_id))

    def set_totp(self, username: str, secret: str) -> None:
        """Give an account a new TOTP secret (the demo, the command line)."""
        user_id = self._id_of(username)
        with self.engine.begin() as connection:
            connection.execute(
                update(users_table)
                .where(users_table.c.id == user_id)
                .values(totp_secret=secret, totp_last_step=None)
            )

    def enrol(self, user_id: int, password: str, secret: str, step: int) -> None:
        """Set the password and TOTP secret an invite or reset link chose; ends sessions."""
        check_password(password)
        with self.engine.begin() as connection:
            connection.execute(
                update(users_table)
                .where(users_table.c.id == user_id)
                .values(
                    password_hash=_hasher.hash(password), totp_secret=secret, totp_last_step=step
                )
            )
            connection.execute(delete(sessions_table).where(sessions_table.c.user_id == user_id))

    def _id_of(self, username: str) -> int:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(users_table.c.id).where(users_table.c.username == username)
            ).first()
        if row is None:
            raise AccountError("no_account", username=username)
        return int(row.id)

    def exists(self, username: str) -> bool:
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    select(users_table.c.id).where(users_table.c.username == username)
                ).first()
                is not None
            )

    def user(self, user_id: int) -> Member | None:
        """One account, with its state."""
        found = self._members(users_table.c.id == user_id)
        return found[0] if found else None

    def members(self, scope: str) -> list[Member]:
        """Every account of `scope`, by username."""
        return self._members(users_table.c.scope == scope)

    def _members(self, condition: Any) -> list[Member]:
        counts = (
            select(sessions_table.c.user_id, func.count().label("live"))
            .where(sessions_table.c.expires_at >= _now())
            .group_by(sessions_table.c.user_id)
            .subquery()
        )
        query = (
            select(users_table, counts.c.live)
            .outerjoin(counts, counts.c.user_id == users_table.c.id)
            .where(condition)
            .order_by(users_table.c.username)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            Member(
                int(row["id"]),
                str(row["username"]),
                str(row["role"]),
                bool(row["active"]),
                row["password_hash"] != UNUSABLE_HASH and bool(row["totp_secret"]),
                int(row["live"] or 0),
            )
            for row in rows
        ]

    def deactivate(self, user_id: int) -> None:
        """Stop an account signing in, and end its sessions at once."""
        with self.engine.begin() as connection:
            connection.execute(
                update(users_table).where(users_table.c.id == user_id).values(active=False)
            )
            connection.execute(delete(sessions_table).where(sessions_table.c.user_id == user_id))

    def authenticate(self, username: str, password: str, code: str = "") -> StaffUser | None:
        """The account if the password and the TOTP code are right (the code not used
        before) and the account is active, else None."""
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
        if row is None or not row["active"] or not row["totp_secret"]:
            return None
        if not self._use_code(int(row["id"]), str(row["totp_secret"]), code):
            return None
        if _hasher.check_needs_rehash(stored):
            with self.engine.begin() as connection:
                connection.execute(
                    update(users_table)
                    .where(users_table.c.id == row["id"])
                    .values(password_hash=_hasher.hash(password))
                )
        return StaffUser(int(row["id"]), str(row["username"]), str(row["scope"]), str(row["role"]))

    def _use_code(self, user_id: int, secret: str, code: str) -> bool:
        """Accept `code` once: its step must be later than the last one used, and is
        stored in the same statement that checks it (two sign-ins racing: one wins)."""
        with self.engine.begin() as connection:
            last = connection.execute(
                select(users_table.c.totp_last_step).where(users_table.c.id == user_id)
            ).scalar()
            step = totp.verify(secret, code, last)
            if step is None:
                return False
            newer = or_(users_table.c.totp_last_step.is_(None), users_table.c.totp_last_step < step)
            result = connection.execute(
                update(users_table)
                .where(users_table.c.id == user_id, newer)
                .values(totp_last_step=step)
            )
            return bool(result.rowcount == 1)

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
                    created_at=_now(),
                )
            )
        return token

    def session(self, token: str | None) -> StaffSession | None:
        """The live session for a cookie token, or None."""
        if not token:
            return None
        query = (
            select(
                sessions_table,
                users_table.c.username,
                users_table.c.scope,
                users_table.c.active,
                users_table.c.role,
            )
            .join(users_table, users_table.c.id == sessions_table.c.user_id)
            .where(sessions_table.c.token_hash == _digest(token))
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None or row["expires_at"] < _now() or not row["active"]:
            return None
        user = StaffUser(
            int(row["user_id"]), str(row["username"]), str(row["scope"]), str(row["role"])
        )
        return StaffSession(user, str(row["csrf_token"]), int(row["id"]))

    def sessions_of(self, user_id: int) -> list[SessionInfo]:
        """An account's live sessions, newest first."""
        query = (
            select(sessions_table.c.id, sessions_table.c.created_at, sessions_table.c.expires_at)
            .where(sessions_table.c.user_id == user_id, sessions_table.c.expires_at >= _now())
            .order_by(sessions_table.c.id.desc())
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [SessionInfo(int(row.id), row.created_at, row.expires_at) for row in rows]

    def end_session_of(self, user_id: int, session_id: int) -> bool:
        """End one of `user_id`'s own sessions; False when it has no such session."""
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(sessions_table).where(
                    sessions_table.c.id == session_id, sessions_table.c.user_id == user_id
                )
            )
        return bool(result.rowcount == 1)

    def end_session(self, token: str | None) -> None:
        if token:
            with self.engine.begin() as connection:
                connection.execute(
                    delete(sessions_table).where(sessions_table.c.token_hash == _digest(token))
                )


def check_password(password: str) -> None:
    """AccountError when `password` is too short."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError("password_short", min=MIN_PASSWORD_CHARS)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
