"""Pending back-office writes: recorded before the call, so an outcome is never lost.

Every confirmed write (a report, a repair, a payment) gets a record first, with a
client reference of our own that is sent to the back-office. The record says what
we know: "pending" (sent, no answer yet), "confirmed" (with the back-office's
reference), "unknown" (no answer, and the check could not tell), "failed" (the
back-office said it was not made). `told` is whether the resident has heard the
outcome. The same write asked again in the same conversation (Rasa replaying the
action, the resident saying yes again) finds the same record and reuses its client
reference, so it is never made twice (issue 10, finding 7).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Engine

from assistant.database import metadata

PENDING, CONFIRMED, UNKNOWN, FAILED = "pending", "confirmed", "unknown", "failed"
# A write asked again within this time is the same write (GOV.UK Pay keeps an
# Idempotency-Key for 24 hours).
REUSE_WINDOW = dt.timedelta(hours=24)

pending_writes = Table(
    "pending_writes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(128), nullable=False, index=True),
    Column("council", String(40), nullable=False),
    Column("kind", String(40), nullable=False),
    # A hash of the conversation, the kind and what is written: the same write asked again.
    Column("write_key", String(64), nullable=False, index=True),
    Column("client_reference", String(40), nullable=False, unique=True),
    # What the back-office searches by besides our reference (a payment's own reference).
    Column("lookup", String(255), nullable=True),
    Column("state", String(12), nullable=False),
    Column("backoffice_reference", String(200), nullable=True),
    Column("detail", Text, nullable=True),  # e.g. a repair's target date, a payment link
    Column("told", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class PendingWrite:
    """One write and what we know of it."""

    conversation_id: str
    council: str
    kind: str
    client_reference: str
    lookup: str | None
    state: str
    backoffice_reference: str | None
    detail: str | None
    told: bool
    created_at: dt.datetime


def write_key(conversation_id: str, kind: str, content: str) -> str:
    """The same write's key: a hash, so the table holds no resident text."""
    joined = "\x1f".join((conversation_id, kind, content))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def new_client_reference() -> str:
    """A fresh client reference ("AST-" and 20 hex digits)."""
    return f"AST-{secrets.token_hex(10).upper()}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class PendingWrites:
    """The pending-write records in one database (tables made by the migrations)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open(
        self,
        conversation_id: str,
        council: str,
        kind: str,
        content: str,
        lookup: str | None = None,
    ) -> tuple[PendingWrite, bool]:
        """The record of this write and whether it is new: the one made for the same
        content in this conversation within REUSE_WINDOW, else a new "pending" one."""
        key = write_key(conversation_id, kind, content)
        now = _now()
        with self.engine.begin() as connection:
            row = connection.execute(
                select(pending_writes)
                .where(
                    pending_writes.c.write_key == key,
                    pending_writes.c.created_at >= now - REUSE_WINDOW,
                )
                .order_by(pending_writes.c.id.desc())
                .limit(1)
            ).first()
            if row is not None:
                return _record(row), False
            values = {
                "conversation_id": conversation_id,
                "council": council,
                "kind": kind,
                "write_key": key,
                "client_reference": new_client_reference(),
                "lookup": lookup,
                "state": PENDING,
                "backoffice_reference": None,
                "detail": None,
                "told": False,
                "created_at": now,
                "updated_at": now,
            }
            connection.execute(insert(pending_writes).values(**values))
        return self.get(str(values["client_reference"])), True

    def get(self, client_reference: str) -> PendingWrite:
        """The record with `client_reference` (KeyError when there is none)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(pending_writes).where(pending_writes.c.client_reference == client_reference)
            ).first()
        if row is None:
            raise KeyError(client_reference)
        return _record(row)

    def confirm(
        self, client_reference: str, reference: str, detail: str | None, *, told: bool
    ) -> None:
        """The back-office made it, as `reference` (and `detail`)."""
        self._set(
            client_reference,
            state=CONFIRMED,
            backoffice_reference=reference,
            detail=detail,
            told=told,
        )

    def mark(self, client_reference: str, state: str, *, told: bool) -> None:
        """Set the state (PENDING before a try, UNKNOWN, FAILED) and whether it was told."""
        self._set(client_reference, state=state, told=told)

    def remember(self, client_reference: str, lookup: str) -> None:
        """Keep what finds the write later (e.g. an Open311 token), once it is known."""
        self._set(client_reference, lookup=lookup)

    def untold(self, conversation_id: str) -> list[PendingWrite]:
        """The conversation's writes whose outcome the resident has not heard yet."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(pending_writes)
                .where(
                    pending_writes.c.conversation_id == conversation_id,
                    or_(
                        pending_writes.c.told.is_(False),
                        pending_writes.c.state.in_((PENDING, UNKNOWN)),
                    ),
                )
                .order_by(pending_writes.c.id)
            ).all()
        return [_record(row) for row in rows]

    def _set(self, client_reference: str, **values: object) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(pending_writes)
                .where(pending_writes.c.client_reference == client_reference)
                .values(**values, updated_at=_now())
            )


def _record(row: object) -> PendingWrite:
    mapping = row._mapping  # type: ignore[attr-defined]
    return PendingWrite(
        conversation_id=mapping["conversation_id"],
        council=mapping["council"],
        kind=mapping["kind"],
        client_reference=mapping["client_reference"],
        lookup=mapping["lookup"],
        state=mapping["state"],
        backoffice_reference=mapping["backoffice_reference"],
        detail=mapping["detail"],
        told=bool(mapping["told"]),
        created_at=mapping["created_at"],
    )
