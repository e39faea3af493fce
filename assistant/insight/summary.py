"""The incremental insight summary: daily counts per council, kept in our own database
and brought up to date from the tracker store's events after the last one processed.

Each batch is read from Rasa's `events` table (SQLite or PostgreSQL) by id, counted in
memory and written in one transaction together with the new cursor; the cursor moves
only if no other process moved it first, so two staff sites never count twice. Only
counts and a hash of each conversation id are kept: no resident text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    String,
    Table,
    bindparam,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from assistant.database import metadata
from assistant.insight.rules import CONVERSATIONS, Rules, load_rules
from assistant.privacy.trackers import council_in, events

CURSOR_NAME = "tracker_events"
BATCH_EVENTS = 5000
NO_COUNCIL = ""

cursor_table = Table(
    "insight_cursor",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("last_event_id", Integer, nullable=False),
)
counts_table = Table(
    "insight_counts",
    metadata,
    Column("council", String(64), primary_key=True),
    Column("day", String(10), primary_key=True),  # YYYY-MM-DD, UTC
    Column("metric", String(20), primary_key=True),
    Column("item", String(120), primary_key=True),
    Column("total", Integer, nullable=False),
)
conversations_table = Table(
    "insight_conversations",
    metadata,
    Column("conversation", String(64), primary_key=True),  # sha256 of the sender id
    Column("council", String(64)),
    Column("last_day", String(10)),
)

CountKey = tuple[str, str, str, str]  # council, day, metric, item


class _CursorMoved(Exception):
    """Another process counted these events first: this batch is rolled back."""


@dataclass
class Conversation:
    """What the summary remembers of one conversation."""

    council: str | None = None
    last_day: str | None = None
    known: bool = False  # already stored


@dataclass
class Progress:
    """What one `update` did."""

    events: int = 0
    batches: int = 0
    last_event_id: int = 0
    more: bool = False  # stopped at `max_events` with events left
    counts: Counter[CountKey] = field(default_factory=Counter)


def conversation_key(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()


class InsightSummary:
    """Reads new tracker events and adds them to the daily counts."""

    def __init__(self, summary_engine: Engine, tracker_engine: Engine, rules: Rules | None = None):
        self.engine = summary_engine
        self.trackers = tracker_engine
        self.rules = rules or load_rules()

    def last_event_id(self) -> int:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(cursor_table.c.last_event_id).where(cursor_table.c.name == CURSOR_NAME)
            ).scalar()
        return int(found or 0)

    def update(self, max_events: int = 200_000) -> Progress:
        """Count the events after the cursor, in batches, up to `max_events`."""
        progress = Progress(last_event_id=self.last_event_id())
        if not inspect(self.trackers).has_table(events.name):
            return progress
        while progress.events < max_events:
            rows = self._read(
                progress.last_event_id, min(BATCH_EVENTS, max_events - progress.events)
            )
            if not rows:
                return progress
            if not self._apply(rows, progress):
                progress.last_event_id = self.last_event_id()  # another process went first
                continue
        progress.more = bool(self._read(progress.last_event_id, limit=1))
        return progress

    def _read(self, after: int, limit: int) -> list[Any]:
        query = (
            select(
                events.c.id,
                events.c.sender_id,
                events.c.type_name,
                events.c.timestamp,
                events.c.intent_name,
                events.c.data,
            )
            .where(events.c.id > after, events.c.type_name.in_(("user", "bot", "slot")))
            .order_by(events.c.id)
            .limit(limit)
        )
        with self.trackers.connect() as connection:
            return list(connection.execute(query))

    def _apply(self, rows: list[Any], progress: Progress) -> bool:
        """Count one batch and store it with the new cursor; False if the cursor moved."""
        new_last = int(rows[-1].id)
        try:
            with self.engine.begin() as connection:
                states = self._states(connection, {row.sender_id for row in rows})
                counts: Counter[CountKey] = Counter()
                for row in rows:
                    self._count(row, states[conversation_key(row.sender_id)], counts)
                if not self._move_cursor(connection, progress.last_event_id, new_last):
                    raise _CursorMoved
                _add_counts(connection, counts)
                _save_states(connection, states)
        except _CursorMoved:
            return False
        progress.events += len(rows)
        progress.batches += 1
        progress.last_event_id = new_last
        progress.counts.update(counts)
        return True

    def _count(self, row: Any, state: Conversation, counts: Counter[CountKey]) -> None:
        day = dt.datetime.fromtimestamp(row.timestamp or 0, dt.timezone.utc).date().isoformat()
        if row.type_name == "bot":
            response = _utter_action(row.data)
            for metric, key in self.rules.bot_counts(response):
                counts[(state.council or NO_COUNCIL, day, metric, key)] += 1
            return
        council = council_in(_decoded(row.data))
        if council is not None:
            state.council = council
        if row.type_name != "user":
            return
        owner = state.council or NO_COUNCIL
        if state.last_day != day:
            counts[(owner, day, CONVERSATIONS, "")] += 1
            state.last_day = day
        for metric, key in self.rules.user_counts(row.intent_name):
            counts[(owner, day, metric, key[:120])] += 1

    def _states(self, connection: Connection, senders: set[str]) -> dict[str, Conversation]:
        keys = {conversation_key(sender) for sender in senders}
        states = {key: Conversation() for key in keys}
        ordered = sorted(keys)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            query = select(conversations_table).where(conversations_table.c.conversation.in_(chunk))
            for row in connection.execute(query):
                states[row.conversation] = Conversation(row.council, row.last_day, known=True)
        return states

    def _move_cursor(self, connection: Connection, old: int, new: int) -> bool:
        moved = connection.execute(
            update(cursor_table)
            .where(cursor_table.c.name == CURSOR_NAME, cursor_table.c.last_event_id == old)
            .values(last_event_id=new)
        ).rowcount
        if moved:
            return True
        exists = connection.execute(
            select(cursor_table.c.last_event_id).where(cursor_table.c.name == CURSOR_NAME)
        ).scalar()
        if exists is not None or old != 0:
            return False
        connection.execute(insert(cursor_table).values(name=CURSOR_NAME, last_event_id=new))
        return True


def _add_counts(connection: Connection, counts: Counter[CountKey]) -> None:
    table = counts_table.c
    for (council, day, metric, key), count in counts.items():
        where = (
            (table.council == council)
            & (table.day == day)
            & (table.metric == metric)
            & (table.item == key)
        )
        changed = connection.execute(
            update(counts_table).where(where).values(total=table.total + count)
        ).rowcount
        if not changed:
            connection.execute(
                insert(counts_table).values(
                    council=council, day=day, metric=metric, item=key, total=count
                )
            )


def _save_states(connection: Connection, states: dict[str, Conversation]) -> None:
    """Store each conversation's council and last day, in two statements."""
    known = [
        {"key": key, "council": state.council, "last_day": state.last_day}
        for key, state in states.items()
        if state.known
    ]
    new = [
        {"conversation": key, "council": state.council, "last_day": state.last_day}
        for key, state in states.items()
        if not state.known
    ]
    if known:
        connection.execute(
            update(conversations_table)
            .where(conversations_table.c.conversation == bindparam("key"))
            .values(council=bindparam("council"), last_day=bindparam("last_day")),
            known,
        )
    if new:
        connection.execute(insert(conversations_table), new)


def _decoded(data: str | None) -> dict[str, Any]:
    try:
        decoded = json.loads(data or "{}")
    except ValueError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def _utter_action(data: str | None) -> str | None:
    metadata_ = _decoded(data).get("metadata")
    if isinstance(metadata_, dict) and isinstance(metadata_.get("utter_action"), str):
        return str(metadata_["utter_action"])
    return None
