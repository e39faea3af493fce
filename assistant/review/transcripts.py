"""Conversation review (issue 15, item 4): a council's conversations, by day, and each
one's transcript, redacted, within the council's retention period only.

A conversation belongs to the council its tracker names last (the `council` slot, else
the council in a message's channel metadata: see routing/tenancy.py); one that names
no council is nobody's. Conversations are named by a hash of their id, never the id
(for SMS that is the resident's phone number).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from assistant.councils import CouncilRegistry
from assistant.insight.redact import redact
from assistant.insight.summary import conversation_key
from assistant.privacy.retention import retention_days
from assistant.privacy.trackers import TrackerEvents, events

MAX_CONVERSATIONS = 2000  # newest conversations looked at per page
BOT_TEXT_CHARS = 1200
RESIDENT = "resident"
ASSISTANT = "assistant"


@dataclass(frozen=True)
class ConversationInfo:
    """One conversation in a list: its key, when it started (in the period) and its
    number of resident messages."""

    key: str
    started: dt.datetime
    messages: int


@dataclass(frozen=True)
class Turn:
    """One message of a transcript, redacted."""

    speaker: str
    text: str
    at: dt.datetime


class Transcripts:
    """Reads conversations from Rasa's tracker store for council staff."""

    def __init__(self, trackers: TrackerEvents, registry: CouncilRegistry) -> None:
        self.trackers = trackers
        self.registry = registry

    def cutoff(self, council: str, now: dt.datetime) -> dt.datetime:
        """The oldest moment the council's staff may read (its retention period)."""
        return now - dt.timedelta(days=retention_days(self.registry, council))

    def conversations(self, council: str, now: dt.datetime) -> list[ConversationInfo]:
        """The council's conversations within retention, newest first."""
        return [info for _, info in self._owned(council, now)]

    def by_day(
        self, council: str, now: dt.datetime, zone: dt.tzinfo = dt.timezone.utc
    ) -> dict[dt.date, list[ConversationInfo]]:
        """The council's conversations within retention grouped by the day (in `zone`)
        they started, newest day first."""
        days: dict[dt.date, list[ConversationInfo]] = {}
        for info in self.conversations(council, now):
            days.setdefault(info.started.astimezone(zone).date(), []).append(info)
        return dict(sorted(days.items(), reverse=True))

    def transcript(self, council: str, key: str, now: dt.datetime) -> list[Turn] | None:
        """The conversation's messages within retention, oldest first; None when it is
        not the council's or nothing of it is within retention."""
        for sender, _ in self._owned(council, now):
            if conversation_key(sender) == key:
                cutoff = self.cutoff(council, now).timestamp()
                return [
                    turn
                    for event in self.trackers.events_of(sender)
                    if (turn := _turn(event, cutoff)) is not None
                ]
        return None

    def _owned(self, council: str, now: dt.datetime) -> list[tuple[str, ConversationInfo]]:
        if not self.trackers.exists():
            return []
        cutoff = self.cutoff(council, now).timestamp()
        query = (
            select(events.c.sender_id, func.min(events.c.timestamp), func.count())
            .where(events.c.timestamp >= cutoff, events.c.type_name == "user")
            .group_by(events.c.sender_id)
            .order_by(func.max(events.c.timestamp).desc())
            .limit(MAX_CONVERSATIONS)
        )
        with self.trackers.engine.connect() as connection:
            rows = list(connection.execute(query))
        return [
            (sender, ConversationInfo(conversation_key(sender), _time(first), int(count)))
            for sender, first, count in rows
            if self.trackers.council_of(sender) == council
        ]


def _turn(event: dict[str, Any], cutoff: float) -> Turn | None:
    kind = event.get("event")
    text = event.get("text")
    at = event.get("timestamp")
    if kind not in ("user", "bot") or not isinstance(text, str) or not text.strip():
        return None
    if not isinstance(at, (int, float)) or at < cutoff:
        return None
    if kind == "user":
        return Turn(RESIDENT, redact(text), _time(at))
    return Turn(ASSISTANT, redact(text, BOT_TEXT_CHARS), _time(at))


def _time(timestamp: float | None) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp or 0.0, dt.timezone.utc)
