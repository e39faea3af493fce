"""The review queue (issue 15, item 3): staff suggest which request a failed question
should have been; the shared model's maintainers (administrators) accept or reject.

Only redacted text is stored: whatever a form sends is redacted again here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, Integer, String, Table, insert, select, update
from sqlalchemy.engine import Engine

from assistant.database import metadata
from assistant.insight.redact import MAX_CHARS, redact
from assistant.review.intents import intent_titles

PENDING = "pending"
ACCEPTED = "accepted"
REJECTED = "rejected"
STATUSES = (PENDING, ACCEPTED, REJECTED)

suggestions_table = Table(
    "intent_suggestions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("council", String(64), nullable=False, index=True),
    Column("text", String(MAX_CHARS), nullable=False),
    Column("intent", String(64), nullable=False),
    Column("times_asked", Integer, nullable=False),
    Column("status", String(12), nullable=False),
    Column("suggested_by", String(80), nullable=False),
    Column("suggested_at", DateTime, nullable=False),
    Column("decided_by", String(80), nullable=True),
    Column("decided_at", DateTime, nullable=True),
)


class SuggestionError(ValueError):
    """A suggestion cannot be made; the message says why."""


@dataclass(frozen=True)
class Suggestion:
    """A redacted question and the request a member of staff says it should have been."""

    id: int
    council: str
    text: str
    intent: str
    times_asked: int
    status: str
    suggested_by: str
    suggested_at: dt.datetime
    decided_by: str | None

    @property
    def intent_title(self) -> str:
        return intent_titles().get(self.intent, self.intent)


class SuggestionQueue:
    """Suggestions in the answers database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def suggest(self, council: str, text: str, intent: str, times: int, username: str) -> int:
        """Queue a suggestion (the text redacted); its id. The same council, wording
        and request already queued is not queued twice."""
        text = redact(text)
        if not text.strip():
            raise SuggestionError("There is no question to suggest a request for.")
        if intent not in intent_titles():
            raise SuggestionError("Choose the request the question should have been.")
        table = suggestions_table.c
        with self.engine.begin() as connection:
            found = connection.execute(
                select(table.id).where(
                    table.council == council, table.text == text, table.intent == intent
                )
            ).scalar()
            if found is not None:
                return int(found)
            result = connection.execute(
                insert(suggestions_table).values(
                    council=council,
                    text=text,
                    intent=intent,
                    times_asked=max(1, min(times, 1_000_000)),
                    status=PENDING,
                    suggested_by=username,
                    suggested_at=_now(),
                )
            )
            return int(result.inserted_primary_key[0])

    def listing(self, council: str | None, status: str | None = None) -> list[Suggestion]:
        """One council's suggestions (every council's when None), newest first."""
        query = select(suggestions_table).order_by(suggestions_table.c.id.desc())
        if council is not None:
            query = query.where(suggestions_table.c.council == council)
        if status is not None:
            query = query.where(suggestions_table.c.status == status)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            Suggestion(
                int(row["id"]),
                row["council"],
                row["text"],
                row["intent"],
                int(row["times_asked"]),
                row["status"],
                row["suggested_by"],
                row["suggested_at"],
                row["decided_by"],
            )
            for row in rows
        ]

    def decide(self, suggestion_id: int, status: str, username: str) -> bool:
        """Accept or reject a suggestion; False when there is no such suggestion."""
        if status not in (ACCEPTED, REJECTED):
            raise SuggestionError("A suggestion is accepted or rejected.")
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(suggestions_table)
                .where(suggestions_table.c.id == suggestion_id)
                .values(status=status, decided_by=username, decided_at=_now())
            ).rowcount
        return bool(changed)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
