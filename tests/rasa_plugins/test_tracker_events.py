"""Rasa's SQL tracker store reads only the events' data and saves without counting
the rows again, and stores and reads conversations as Rasa does."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event

from assistant.rasa_plugins import tracker_events

COUNCIL_SLOT = {"type": "text", "mappings": [{"type": "custom"}]}
DOMAIN = Domain.from_dict({"slots": {"council": COUNCIL_SLOT}})
# Rasa's own methods, as tracker_events found them (even if installed already).
RASA_WAY = {
    "_retrieve": tracker_events._rasa_retrieve,
    "_additional_events": tracker_events._rasa_additional_events,
    "save": tracker_events._rasa_save,
}
OURS = {
    "_retrieve": tracker_events.retrieve_events,
    "_additional_events": tracker_events.additional_events,
    "save": tracker_events.save,
}


@pytest.fixture(params=["rasa", "ours"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test both ways: Rasa's methods, then this module's."""
    for name, method in (RASA_WAY if request.param == "rasa" else OURS).items():
        monkeypatch.setattr(SQLTrackerStore, name, method)
    return str(request.param)


@pytest.fixture
def store(tmp_path: Path) -> SQLTrackerStore:
    return SQLTrackerStore(DOMAIN, db=str(tmp_path / "trackers.db"))


@pytest.fixture
def statements(store: SQLTrackerStore) -> Iterator[list[str]]:
    """Every SQL statement the store runs."""
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    yield seen
    event.remove(store.engine, "before_cursor_execute", record)


def message(text: str, intent: str, reply: str) -> list[Event]:
    return [
        UserUttered(text, {"name": intent}),
        SlotSet("council", "millbrook"),
        ActionExecuted("utter_" + intent),
        BotUttered(reply),
        ActionExecuted("action_listen"),
    ]


def stored_rows(store: SQLTrackerStore) -> list[tuple[str, str | None]]:
    with store.session_scope() as session:
        rows = session.query(store.SQLEvent).order_by(store.SQLEvent.id).all()
        return [(row.type_name, row.action_name) for row in rows]


def handle(store: SQLTrackerStore, events: list[Event]) -> DialogueStateTracker:
    """One message, as Rasa's processor handles it: read, add events, save."""
    tracker = asyncio.run(store.retrieve("resident"))
    assert tracker is not None
    for new in events:
        tracker.update(new)
    asyncio.run(store.save(tracker))
    return tracker


def started() -> list[Event]:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]


def test_a_conversation_is_stored_and_read_as_rasa_does(way: str, store: SQLTrackerStore) -> None:
    new = DialogueStateTracker.from_events("resident", started(), DOMAIN.slots)
    asyncio.run(store.save(new))
    handle(store, message("bin day?", "bin_collection_day", "Tuesdays."))
    handle(store, message("thanks", "thank", "You're welcome."))
    # A second session: only its events are read, and saved once each.
    handle(store, started())
    last = handle(store, message("hello", "greet", "Hello."))

    read = asyncio.run(store.retrieve("resident"))
    assert read is not None
    assert list(read.events) == list(last.events)
    assert read.events[0] == SessionStarted()  # the latest session only
    assert read.get_slot("council") == "millbrook"
    assert [t for t, _ in stored_rows(store)].count("user") == 3
    assert len(stored_rows(store)) == 3 + 5 + 5 + 3 + 5
    full = asyncio.run(store.retrieve_full_tracker("resident"))
    assert full is not None and len(full.events) == len(stored_rows(store))


def test_a_save_after_a_read_counts_no_rows(
    way: str, store: SQLTrackerStore, statements: list[str]
) -> None:
    asyncio.run(store.save(DialogueStateTracker.from_events("resident", started(), DOMAIN.slots)))
    statements.clear()
    handle(store, message("bin day?", "bin_collection_day", "Tuesdays."))
    counted = any("count(" in statement.lower() for statement in statements)
    assert counted is (way == "rasa")
    read = next(s for s in statements if s.lstrip().upper().startswith("SELECT"))
    columns = read.split("FROM")[0]
    assert "events.data" in columns
    assert ("events.type_name" in columns) is (way == "rasa")  # ours: the data alone
    assert len(stored_rows(store)) == 3 + 5


def test_the_same_tracker_saved_twice_adds_each_event_once(
    way: str, store: SQLTrackerStore
) -> None:
    asyncio.run(store.save(DialogueStateTracker.from_events("resident", started(), DOMAIN.slots)))
    tracker = handle(store, message("bin day?", "bin_collection_day", "Tuesdays."))
    tracker.update(UserUttered("thanks", {"name": "thank"}))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # nothing new
    assert len(stored_rows(store)) == 3 + 5 + 1


def test_only_a_latest_session_read_remembers_its_count(store: SQLTrackerStore) -> None:
    rows = [{"event": "action", "name": "action_listen", "timestamp": 1.0}]
    asyncio.run(store.save(DialogueStateTracker.from_dict("resident", rows, DOMAIN.slots)))
    latest = asyncio.run(tracker_events.retrieve_events(store, "resident", False))
    every = asyncio.run(tracker_events.retrieve_events(store, "resident", True))
    assert latest is not None and every is not None
    assert getattr(latest, tracker_events.STORED_EVENTS) == 1
    assert not hasattr(every, tracker_events.STORED_EVENTS)
    assert asyncio.run(tracker_events.retrieve_events(store, "nobody", False)) is None
