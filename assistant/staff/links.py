"""One-time links for staff accounts: an invite (a new account chooses its password
and sets up its TOTP app) and a password reset (the same, for an existing account).

A link carries a random token; only its SHA-256 is stored, with what it is for, the
account, the TOTP secret it will enrol, and when it expires. `redeem` marks it used
in the same statement that checks it is unused and unexpired, so it works once.
Tokens are never logged: the staff site writes no access log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, insert, select, update
from sqlalchemy.engine import Engine

from assistant.database import metadata
from assistant.staff import totp

INVITE = "invite"
RESET = "reset"
LIFETIME = {INVITE: dt.timedelta(days=3), RESET: dt.timedelta(hours=1)}

links_table = Table(
    "staff_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("staff_users.id"), nullable=False),
    Column("purpose", String(10), nullable=False),
    Column("totp_secret", String(64), nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime, nullable=True),
)


@dataclass(frozen=True)
class PendingLink:
    """An unused, unexpired link: whose, what for, and the secret it enrols."""

    user_id: int
    username: str
    purpose: str
    totp_secret: str


class AccountLinks:
    """Invite and reset links in the answers database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def issue(
        self, user_id: int, purpose: str, created_by: str, now: dt.datetime | None = None
    ) -> str:
        """A new link token for `user_id`; earlier unused links of the account stop working."""
        token = secrets.token_urlsafe(32)
        now = now or _now()
        with self.engine.begin() as connection:
            connection.execute(
                update(links_table)
                .where(links_table.c.user_id == user_id, links_table.c.used_at.is_(None))
                .values(used_at=now)
            )
            connection.execute(
                insert(links_table).values(
                    token_hash=_digest(token),
                    user_id=user_id,
                    purpose=purpose,
                    totp_secret=totp.new_secret(),
                    created_by=created_by,
                    expires_at=now + LIFETIME[purpose],
                )
            )
        return token

    def pending(self, token: str, now: dt.datetime | None = None) -> PendingLink | None:
        """The link for `token` if it may still be used, else None."""
        from assistant.staff.accounts import users_table

        query = (
            select(links_table, users_table.c.username, users_table.c.active)
            .join(users_table, users_table.c.id == links_table.c.user_id)
            .where(links_table.c.token_hash == _digest(token))
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None or row["used_at"] is not None or not row["active"]:
            return None
        if row["expires_at"] < (now or _now()):
            return None
        return PendingLink(
            int(row["user_id"]), str(row["username"]), str(row["purpose"]), str(row["totp_secret"])
        )

    def redeem(self, token: str, now: dt.datetime | None = None) -> bool:
        """Use the link up; False when it was already used or has expired."""
        now = now or _now()
        with self.engine.begin() as connection:
            result = connection.execute(
                update(links_table)
                .where(
                    links_table.c.token_hash == _digest(token),
                    links_table.c.used_at.is_(None),
                    links_table.c.expires_at >= now,
                )
                .values(used_at=now)
            )
        return bool(result.rowcount == 1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
