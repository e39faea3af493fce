"""Conversations are kept in the SQL tracker store (SQLite through SQLAlchemy)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy

from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e


def test_conversation_events_are_stored_in_sqlite(chat: Chat, stack_workdir: Path) -> None:
    sender = f"store-{uuid.uuid4().hex[:8]}"
    chat.texts(sender, "hello", "millbrook")
    chat.texts(sender, "how do i pay my council tax", "millbrook")
    engine = sqlalchemy.create_engine(f"sqlite:///{stack_workdir / 'trackers.db'}")
    with engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.text("SELECT type_name, data FROM events WHERE sender_id = :sender"),
            {"sender": chat.conversation(sender)},
        ).fetchall()
    types = [row[0] for row in rows]
    assert types.count("user") == 2
    council_slots = [
        json.loads(data)["value"]
        for type_name, data in rows
        if type_name == "slot" and json.loads(data)["name"] == "council"
    ]
    assert council_slots and council_slots[-1] == "millbrook"
