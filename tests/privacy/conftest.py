"""A tracker store written by Rasa itself, an SMS store and two councils with
different retention, for the privacy tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import update

from assistant.councils import CouncilRegistry
from assistant.privacy.stores import DataStores
from assistant.rasa_plugins.channels.sms_store import SmsStore, choices, inbound
from assistant.rasa_plugins.channels.sms_text import Choice
from tests.support.council_files import write_demo_councils

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
RETENTION = {"brackenbury": 30, "millbrook": 7}


def days_ago(days: float) -> float:
    return (NOW - timedelta(days=days)).timestamp()


def session(council: str | None, text: str, at: float) -> list[Event]:
    """One session of a conversation: started, a message and a reply, at `at`."""
    metadata = {"council": council} if council else {}
    events: list[Event] = [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
    ]
    if council:
        events.append(SlotSet("council", council, timestamp=at))
    events += [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered(text, {"name": "greet"}, metadata=metadata, timestamp=at + 1),
        BotUttered(f"reply to {text}", timestamp=at + 2),
    ]
    return events


@dataclass
class Data:
    """The stores under test and the settings-like paths that open them."""

    root: Path
    rasa: SQLTrackerStore
    sms: SmsStore
    registry: CouncilRegistry

    @property
    def stores(self) -> DataStores:
        from assistant.database import make_engine
        from assistant.privacy.sms_records import SmsRecords
        from assistant.privacy.trackers import TrackerEvents

        return DataStores(
            trackers=TrackerEvents(f"sqlite:///{self.root / 'trackers.db'}"),
            sms=SmsRecords(make_engine(f"sqlite:///{self.root / 'sms.db'}")),
            log_dir=self.root / "log",
        )

    def conversation(self, sender: str, *sessions: list[Event]) -> None:
        events = [event for events in sessions for event in events]
        tracker = DialogueStateTracker.from_events(sender, events)
        asyncio.run(self.rasa.save(tracker))

    def texts(self, sender: str) -> list[str]:
        """The resident's messages Rasa finds in the conversation's current session."""
        tracker = asyncio.run(self.rasa.retrieve_full_tracker(sender))
        if tracker is None:
            return []
        return [e.text for e in tracker.events if isinstance(e, UserUttered) and e.text]

    def offer(self, conversation: str, title: str, days: float) -> None:
        self.sms.offer_choices(conversation, (Choice(title, "/choose"),))
        when = NOW - timedelta(days=days)
        with self.sms.engine.begin() as connection:
            connection.execute(
                update(choices)
                .where(choices.c.conversation_id == conversation)
                .values(updated_at=when)
            )

    def webhook(self, message_id: str, days: float) -> None:
        self.sms.claim("twilio", message_id)
        with self.sms.engine.begin() as connection:
            connection.execute(
                update(inbound)
                .where(inbound.c.message_id == message_id)
                .values(received_at=NOW - timedelta(days=days))
            )


@pytest.fixture()
def data(tmp_path: Path) -> Data:
    def retention(configs: dict[str, dict[str, Any]]) -> None:
        for council, days in RETENTION.items():
            configs[council]["privacy"] = {"retention_days": days}

    write_demo_councils(tmp_path / "councils", retention)
    return Data(
        root=tmp_path,
        rasa=SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "trackers.db")),
        sms=SmsStore(f"sqlite:///{tmp_path / 'sms.db'}"),
        registry=CouncilRegistry.load(tmp_path / "councils"),
    )
