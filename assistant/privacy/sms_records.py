"""What the SMS channels keep about residents (`sms_store`), read and deleted by
conversation id, and the conversation ids that stand for a phone number.

- numbered choices last offered (they may name addresses): purged with the
  conversation's council retention, erased and exported with the conversation;
- opt-outs (STOP): kept until START, even on erasure, so that the number keeps
  getting no texts; they hold only the keyed hash; exported;
- handled webhook ids (and a reply only until it is sent): they name no number or
  conversation, so they are purged after the shortest retention of any council.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from assistant.councils import CouncilRegistry
from assistant.identifiers import normalise_number
from assistant.rasa_plugins.channels.sms_config import conversation_id
from assistant.rasa_plugins.channels.sms_store import choices, inbound, opt_outs
from assistant.settings import Secret


def conversations_of_phone(key: Secret, registry: CouncilRegistry, phone: str) -> list[str]:
    """The SMS conversation ids `phone` has (one per council it may have texted)."""
    number = normalise_number(phone)
    if number is None:
        raise ValueError(f"{phone!r} is not a phone number")
    return [conversation_id(key, council.id, number) for council in registry]


class SmsRecords:
    """The SMS channels' tables, for retention, erasure and export."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def choice_conversations(self) -> dict[str, datetime]:
        """Conversation id -> when its choices were last offered."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(choices.c.conversation_id, choices.c.updated_at))
            return {conversation: _aware(when) for conversation, when in rows}

    def delete_choices(self, conversation: str) -> int:
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(choices).where(choices.c.conversation_id == conversation)
            )
            return int(result.rowcount or 0)

    def count_inbound_before(self, cutoff: datetime) -> int:
        with self.engine.connect() as connection:
            query = select(func.count()).where(inbound.c.received_at < cutoff)
            return int(connection.execute(query).scalar() or 0)

    def delete_inbound_before(self, cutoff: datetime) -> int:
        with self.engine.begin() as connection:
            result = connection.execute(delete(inbound).where(inbound.c.received_at < cutoff))
            return int(result.rowcount or 0)

    def of_conversation(self, conversation: str) -> dict[str, Any]:
        """What is kept for one conversation, as JSON-ready values."""
        with self.engine.connect() as connection:
            offered = connection.execute(
                select(choices.c.choices, choices.c.updated_at).where(
                    choices.c.conversation_id == conversation
                )
            ).first()
            opted = connection.execute(
                select(opt_outs.c.opted_out_at).where(opt_outs.c.conversation_id == conversation)
            ).scalar()
        record: dict[str, Any] = {}
        if offered is not None:
            record["choices_offered"] = {
                "choices": offered[0],
                "at": _aware(offered[1]).isoformat(),
            }
        if opted is not None:
            record["opted_out_at"] = _aware(opted).isoformat()
        return record


def _aware(value: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
