"""Payment links (issue 12, item 2): the assistant's own short-lived payment pages.

The chat and SMS carry `<pay pages url>/pay/<token>`, never GOV.UK Pay's `next_url`
(single-use, bound to the first browser that opens it). Only a hash of the token is
stored. The page creates the Pay payment when the resident asks for it, with the
Idempotency-Key `<client reference>-<attempt>`, so two tabs or two clicks make one
payment; a new attempt (a new key) only after Pay says the last one failed. Each
link has its own return page (`/pay/return/<return key>`), which records the outcome
the conversation then tells ("your payment of £... was received").
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
from sqlalchemy.sql.elements import ColumnElement

from assistant.backoffice.pending import new_client_reference, write_key
from assistant.database import metadata

LINK_LIFETIME = dt.timedelta(minutes=45)  # opening the link starts a payment until then
RETURN_LIFETIME = dt.timedelta(hours=24)  # the return page and the chat's confirmation
# Pay's payment states (state.status): still open, and finished.
OPEN_STATES = ("created", "started", "submitted", "capturable")
PAID, FAILED_STATES = "success", ("failed", "cancelled", "error")

payment_links = Table(
    "payment_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("return_key", String(64), nullable=False, unique=True),
    Column("conversation_id", String(128), nullable=False, index=True),
    Column("council", String(40), nullable=False),
    Column("write_key", String(64), nullable=False, index=True),
    Column("client_reference", String(40), nullable=False, unique=True),
    Column("attempt", Integer, nullable=False),
    Column("amount_pence", Integer, nullable=False),
    Column("reference", String(255), nullable=False),
    Column("description", String(255), nullable=False),
    Column("payment_id", String(64), nullable=True),
    Column("next_url", Text, nullable=True),
    Column("status", String(20), nullable=True),
    Column("failure_code", String(10), nullable=True),
    Column("told", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
# Every link sent for a payment (one per offer: a replayed action, a second "yes"),
# by the hash of its token; each works until its own expiry.
payment_link_tokens = Table(
    "payment_link_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("link_id", Integer, nullable=False, index=True),
    Column("expires_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class PaymentLink:
    """One payment the resident was offered, and what Pay said of it."""

    id: int
    return_key: str
    conversation_id: str
    council: str
    client_reference: str
    attempt: int
    amount_pence: int
    reference: str
    description: str
    payment_id: str | None
    next_url: str | None
    status: str | None
    failure_code: str | None
    told: bool
    created_at: dt.datetime

    def __repr__(self) -> str:  # no references or links in logs
        return f"PaymentLink(id={self.id}, council={self.council!r}, status={self.status!r})"

    @property
    def idempotency_key(self) -> str:
        """The create's Idempotency-Key: the same for every opening of this attempt."""
        return f"{self.client_reference}-{self.attempt}"

    def returnable(self, now: dt.datetime) -> bool:
        """Whether the return page still shows this payment."""
        return now < self.created_at + RETURN_LIFETIME


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class PaymentLinks:
    """The payment links in one database (the pending-writes one; made by migrations)."""

    def __init__(self, engine: Engine, lifetime: dt.timedelta = LINK_LIFETIME) -> None:
        self.engine = engine
        self.lifetime = lifetime

    def offer(
        self,
        conversation_id: str,
        council: str,
        amount_pence: int,
        reference: str,
        description: str,
    ) -> str:
        """A fresh token for this payment: the same payment offered again in the
        conversation (not paid, within the return lifetime) keeps its record, client
        reference and payment, and every link sent for it works until it expires."""
        token = secrets.token_urlsafe(32)
        key = write_key(conversation_id, "payment-link", f"{reference}\x1f{amount_pence}")
        now = now_utc()
        with self.engine.begin() as connection:
            row = connection.execute(
                select(payment_links.c.id)
                .where(
                    payment_links.c.write_key == key,
                    payment_links.c.created_at >= now - RETURN_LIFETIME,
                    payment_links.c.status.is_distinct_from(PAID),
                )
                .order_by(payment_links.c.id.desc())
                .limit(1)
            ).first()
            if row is not None:
                link_id = int(row[0])
            else:
                link_id = connection.execute(
                    insert(payment_links).values(
                        return_key=secrets.token_urlsafe(24),
                        conversation_id=conversation_id,
                        council=council,
                        write_key=key,
                        client_reference=new_client_reference(),
                        attempt=1,
                        amount_pence=amount_pence,
                        reference=reference,
                        description=description,
                        told=False,
                        created_at=now,
                        updated_at=now,
                    )
                ).inserted_primary_key[0]
            connection.execute(
                insert(payment_link_tokens).values(
                    token_hash=token_hash(token), link_id=link_id, expires_at=now + self.lifetime
                )
            )
        return token

    def by_token(self, token: str) -> PaymentLink | None:
        """The payment of an unexpired link token, else None."""
        with self.engine.connect() as connection:
            link_id = connection.execute(
                select(payment_link_tokens.c.link_id).where(
                    payment_link_tokens.c.token_hash == token_hash(token),
                    payment_link_tokens.c.expires_at > now_utc(),
                )
            ).scalar()
        return self._one(payment_links.c.id == link_id) if link_id is not None else None

    def by_return_key(self, return_key: str) -> PaymentLink | None:
        return self._one(payment_links.c.return_key == return_key)

    def started(self, link_id: int, payment_id: str, next_url: str | None, status: str) -> None:
        """Pay made the payment of the link's current attempt."""
        self._set(link_id, payment_id=payment_id, next_url=next_url, status=status, told=False)

    def next_attempt(self, link_id: int) -> None:
        """The last payment failed: the next opening starts a new one (a new key)."""
        with self.engine.begin() as connection:
            connection.execute(
                update(payment_links)
                .where(payment_links.c.id == link_id)
                .values(
                    attempt=payment_links.c.attempt + 1,
                    payment_id=None,
                    next_url=None,
                    status=None,
                    failure_code=None,
                    told=False,
                    updated_at=now_utc(),
                )
            )

    def state(self, link_id: int, status: str, failure_code: str | None) -> None:
        """What Pay says of the payment now."""
        self._set(link_id, status=status, failure_code=failure_code)

    def untold(self, conversation_id: str) -> list[PaymentLink]:
        """The conversation's payments whose outcome the resident has not heard."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(payment_links)
                .where(
                    payment_links.c.conversation_id == conversation_id,
                    payment_links.c.told.is_(False),
                    payment_links.c.payment_id.is_not(None),
                    payment_links.c.created_at >= now_utc() - RETURN_LIFETIME,
                )
                .order_by(payment_links.c.id)
            ).all()
        return [_link(row) for row in rows]

    def waiting(self, conversation_id: str, council: str) -> bool:
        """Whether a payment of the conversation may still have an outcome to tell:
        offered within the return lifetime and not both paid and told."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(payment_links.c.id)
                .where(
                    payment_links.c.conversation_id == conversation_id,
                    payment_links.c.council == council,
                    payment_links.c.created_at >= now_utc() - RETURN_LIFETIME,
                    or_(
                        payment_links.c.told.is_(False),
                        payment_links.c.status.is_distinct_from(PAID),
                    ),
                )
                .limit(1)
            ).first()
        return row is not None

    def told(self, link_id: int) -> None:
        self._set(link_id, told=True)

    def _one(self, condition: ColumnElement[bool]) -> PaymentLink | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(payment_links).where(condition)).first()
        return _link(row) if row is not None else None

    def _set(self, link_id: int, **values: object) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(payment_links)
                .where(payment_links.c.id == link_id)
                .values(**values, updated_at=now_utc())
            )


def _link(row: object) -> PaymentLink:
    mapping = row._mapping  # type: ignore[attr-defined]
    fields = PaymentLink.__dataclass_fields__
    return PaymentLink(**{name: mapping[name] for name in fields})
