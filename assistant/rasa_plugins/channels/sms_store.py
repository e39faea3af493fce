"""What the SMS channels remember between webhooks, in a database via SQLAlchemy.

Opt-outs (STOP until START), webhook ids already handled (gateways retry) and the
numbered choices last offered to each conversation. Conversations are keyed by a
keyed hash of the council and sender number (see `sms.conversation_id`), so the
database never holds a phone number.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

from sqlalchemy import (
    Column,
    DateTime,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from assistant.database import make_engine, metadata
from assistant.migrations import migrate
from assistant.rasa_plugins.channels.sms_text import Choice, Reply

opt_outs = Table(
    "sms_opt_outs",
    metadata,
    Column("conversation_id", String(80), primary_key=True),
    Column("opted_out_at", DateTime(timezone=True), nullable=False),
)
inbound = Table(
    "sms_inbound",
    metadata,
    Column("gateway", String(32), primary_key=True),
    Column("message_id", String(128), primary_key=True),
    # "processing", then "reply" or "notice" (answered, reply not yet sent), then "done"
    Column("status", String(16), nullable=False),
    Column("reply", Text, nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
)
choices = Table(
    "sms_choices",
    metadata,
    Column("conversation_id", String(80), primary_key=True),
    Column("choices", Text, nullable=False),  # JSON list of [title, payload]
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SmsStore:
    """Opt-outs, handled webhook ids and offered choices, in one database."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = make_engine(url)
        self._lock = threading.Lock()  # SQLite allows one writer at a time
        migrate(self.engine)

    # Idempotency: one reply per gateway message id, however often it is delivered.
    def claim(self, gateway: str, message_id: str) -> bool:
        """Record that `message_id` is being handled; False when it already was."""
        with self._lock, self.engine.begin() as connection:
            try:
                connection.execute(
                    insert(inbound).values(
                        gateway=gateway,
                        message_id=message_id,
                        status="processing",
                        received_at=_now(),
                    )
                )
            except IntegrityError:
                return False
        return True

    def finish(self, gateway: str, message_id: str) -> None:
        """Mark a claimed message as fully handled (its reply, if any, sent)."""
        with self._lock, self.engine.begin() as connection:
            connection.execute(
                update(inbound)
                .where(inbound.c.gateway == gateway, inbound.c.message_id == message_id)
                .values(status="done", reply=None)
            )

    def save_reply(self, gateway: str, message_id: str, text: str, notice: bool) -> None:
        """Keep the reply to a claimed message until `finish`, so that a retry of the
        delivery resends it rather than asking the assistant again."""
        with self._lock, self.engine.begin() as connection:
            connection.execute(
                update(inbound)
                .where(inbound.c.gateway == gateway, inbound.c.message_id == message_id)
                .values(status="notice" if notice else "reply", reply=text)
            )

    def pending_reply(self, gateway: str, message_id: str) -> Reply | None:
        """The saved reply of a message that was answered but whose reply was not sent."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(inbound.c.status, inbound.c.reply).where(
                    inbound.c.gateway == gateway, inbound.c.message_id == message_id
                )
            ).first()
        if row is None or row[0] not in ("reply", "notice") or row[1] is None:
            return None
        return Reply(row[1], notice=row[0] == "notice")

    def release(self, gateway: str, message_id: str) -> None:
        """Forget a claim whose handling failed, so the gateway's retry is handled."""
        with self._lock, self.engine.begin() as connection:
            connection.execute(
                delete(inbound).where(
                    inbound.c.gateway == gateway, inbound.c.message_id == message_id
                )
            )

    # Opt-outs.
    def opt_out(self, conversation_id: str) -> None:
        """After this, the conversation's number gets no messages until `opt_in`."""
        with self._lock, self.engine.begin() as connection:
            exists = connection.execute(
                select(opt_outs.c.conversation_id).where(
                    opt_outs.c.conversation_id == conversation_id
                )
            ).first()
            if exists is None:
                connection.execute(
                    insert(opt_outs).values(conversation_id=conversation_id, opted_out_at=_now())
                )

    def opt_in(self, conversation_id: str) -> None:
        """Undo `opt_out`."""
        with self._lock, self.engine.begin() as connection:
            connection.execute(
                delete(opt_outs).where(opt_outs.c.conversation_id == conversation_id)
            )

    def is_opted_out(self, conversation_id: str) -> bool:
        """True while the number has sent STOP and not START."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(opt_outs.c.conversation_id).where(
                    opt_outs.c.conversation_id == conversation_id
                )
            ).first()
        return row is not None

    # Numbered choices.
    def offered_choices(self, conversation_id: str) -> list[Choice]:
        """The choices in the last reply to this conversation (empty when none)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(choices.c.choices).where(choices.c.conversation_id == conversation_id)
            ).first()
        if row is None:
            return []
        return [Choice(title, payload) for title, payload in json.loads(row[0])]

    def offer_choices(self, conversation_id: str, offered: tuple[Choice, ...]) -> None:
        """Remember the choices just sent (an empty tuple forgets earlier ones)."""
        encoded = json.dumps([[choice.title, choice.payload] for choice in offered])
        with self._lock, self.engine.begin() as connection:
            connection.execute(delete(choices).where(choices.c.conversation_id == conversation_id))
            if offered:
                connection.execute(
                    insert(choices).values(
                        conversation_id=conversation_id, choices=encoded, updated_at=_now()
                    )
                )
