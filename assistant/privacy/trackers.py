"""Conversations in Rasa's SQL tracker store (the `events` table), read and deleted
through SQLAlchemy: SQLite in the demo, PostgreSQL when configured.

The table is Rasa's, not ours: it is described here (not in the project's metadata,
so Alembic never touches it) with the columns Rasa 3.6 gives it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Engine

from assistant.database import make_engine

COUNCIL_KEY = "council"
SESSION_STARTED = "session_started"

_rasa_metadata = MetaData()
events = Table(
    "events",
    _rasa_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclass(frozen=True)
class Conversation:
    """One conversation's span: its id, first and last event times (unix seconds)."""

    sender_id: str
    first: float
    last: float


def council_in(event: dict[str, Any]) -> str | None:
    """The council an event names: a `council` slot set, or a user message's metadata."""
    if event.get("event") == "slot" and event.get("name") == COUNCIL_KEY:
        value = event.get("value")
    elif event.get("event") == "user" and isinstance(event.get("metadata"), dict):
        value = event["metadata"].get(COUNCIL_KEY)
    else:
        return None
    return value if isinstance(value, str) and value else None


class TrackerEvents:
    """Rasa's tracker store events, by conversation."""

    def __init__(self, url_or_engine: str | Engine) -> None:
        self.engine = (
            make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        )

    def exists(self) -> bool:
        """False until Rasa has made its table (no conversation yet)."""
        return inspect(self.engine).has_table(events.name)

    def conversations(self) -> Iterator[Conversation]:
        """Every conversation with its first and last event time."""
        if not self.exists():
            return
        query = select(
            events.c.sender_id, func.min(events.c.timestamp), func.max(events.c.timestamp)
        ).group_by(events.c.sender_id)
        with self.engine.connect() as connection:
            for sender_id, first, last in connection.execute(query):
                yield Conversation(sender_id, first or 0.0, last or 0.0)

    def council_of(self, sender_id: str) -> str | None:
        """The conversation's latest council (slot, else message metadata), if any."""
        query = (
            select(events.c.data)
            .where(events.c.sender_id == sender_id, events.c.type_name.in_(("slot", "user")))
            .order_by(events.c.id.desc())
        )
        with self.engine.connect() as connection:
            for (data,) in connection.execute(query):
                council = council_in(_decoded(data))
                if council is not None:
                    return council
        return None

    def events_of(self, sender_id: str) -> list[dict[str, Any]]:
        """Every event of a conversation, oldest first, as Rasa stored it."""
        if not self.exists():
            return []
        query = select(events.c.data).where(events.c.sender_id == sender_id).order_by(events.c.id)
        with self.engine.connect() as connection:
            return [_decoded(data) for (data,) in connection.execute(query)]

    def sessions_before(self, sender_id: str, cutoff: float) -> int | None:
        """The id where the first session still in use at `cutoff` begins (a session
        runs from one `session_started` to the next): every event before it belongs to
        sessions that ended before `cutoff`. None when the first session is in use."""
        with self.engine.connect() as connection:
            starts = list(
                connection.execute(
                    select(events.c.id)
                    .where(events.c.sender_id == sender_id, events.c.type_name == SESSION_STARTED)
                    .order_by(events.c.id)
                ).scalars()
            )
            bounds = [_with_its_start_action(connection, sender_id, start) for start in starts]
            for index, bound in enumerate(bounds):
                condition = events.c.sender_id == sender_id
                if index > 0:
                    condition = condition & (events.c.id >= bound)
                if index + 1 < len(bounds):
                    condition = condition & (events.c.id < bounds[index + 1])
                last = connection.execute(select(func.max(events.c.timestamp)).where(condition))
                if (last.scalar() or 0.0) >= cutoff:
                    return None if index == 0 else bound
        return None

    def count_before(self, sender_id: str, event_id: int | None = None) -> int:
        """How many events of the conversation come before `event_id` (all when None)."""
        condition = events.c.sender_id == sender_id
        if event_id is not None:
            condition = condition & (events.c.id < event_id)
        with self.engine.connect() as connection:
            count = connection.execute(select(func.count()).where(condition)).scalar()
        return int(count or 0)

    def delete(self, sender_id: str, before_id: int | None = None) -> int:
        """Delete the conversation's events (only those before `before_id` when given)."""
        if not self.exists():
            return 0
        condition = events.c.sender_id == sender_id
        if before_id is not None:
            condition = condition & (events.c.id < before_id)
        with self.engine.begin() as connection:
            return int(connection.execute(delete(events).where(condition)).rowcount or 0)


def _with_its_start_action(connection: Any, sender_id: str, session_started_id: int) -> int:
    """The id of the `action_session_start` just before a session start, if it is
    there (Rasa runs that action, then logs `session_started`), else the start's."""
    previous = connection.execute(
        select(events.c.id, events.c.action_name)
        .where(events.c.sender_id == sender_id, events.c.id < session_started_id)
        .order_by(events.c.id.desc())
        .limit(1)
    ).first()
    if previous is not None and previous[1] == "action_session_start":
        return int(previous[0])
    return session_started_id


def _decoded(data: str | None) -> dict[str, Any]:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
