"""Rasa's SQL tracker store keeps its SQLite connections in a pool, and stores and
reads conversations as before; PostgreSQL keeps Rasa's own engine settings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import rasa.core.tracker_store as rasa_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.pool import QueuePool

from assistant.rasa_plugins import sqlite_trackers

COUNCIL_SLOT = {"type": "text", "mappings": [{"type": "custom"}]}
DOMAIN = Domain.from_dict({"slots": {"council": COUNCIL_SLOT}})


def test_a_sqlite_file_gets_a_pool() -> None:
    kwargs = sqlite_trackers.create_engine_kwargs("sqlite:///var/trackers.db")
    assert kwargs["poolclass"] is QueuePool
    assert kwargs["pool_size"] >= 1


def test_other_databases_keep_rasas_settings() -> None:
    postgres = "postgresql://rasa:x@db:5432/rasa"
    assert sqlite_trackers.create_engine_kwargs(postgres) == sqlite_trackers._rasa_engine_kwargs(
        postgres
    )
    assert sqlite_trackers.create_engine_kwargs("sqlite://") == {}  # in memory: Rasa's
    assert not sqlite_trackers.is_sqlite_file("sqlite:///:memory:")


def test_the_store_pools_connections_and_keeps_conversations(tmp_path: Path) -> None:
    sqlite_trackers.install()
    store = rasa_tracker_store.SQLTrackerStore(DOMAIN, db=str(tmp_path / "trackers.db"))
    assert isinstance(store.engine.pool, QueuePool)
    tracker = DialogueStateTracker.from_events(
        "resident",
        [
            ActionExecuted("action_listen"),
            UserUttered("when is my bin day", {"name": "bin_collection_day"}),
            SlotSet("council", "millbrook"),
            BotUttered("Your bins are collected on Tuesdays."),
        ],
        DOMAIN.slots,
    )
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered("thanks", {"name": "thank"}))
    asyncio.run(store.save(tracker))  # only the new event is added
    stored = asyncio.run(store.retrieve("resident"))
    assert stored is not None
    assert [e.type_name for e in stored.events] == [e.type_name for e in tracker.events]
    assert stored.get_slot("council") == "millbrook"
    assert stored.latest_message.text == "thanks"
    # Every use gave its connection back to the pool, still open, for the next one.
    assert store.engine.pool.checkedout() == 0
    assert store.engine.pool.checkedin() == 1
