"""Rasa-shaped events written into a real `events` table, for the insight tests."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from assistant.privacy.trackers import _rasa_metadata, events

DAY1 = 1_795_000_000.0  # 2026-11-18 UTC
DAY2 = DAY1 + 86_400


class Tracker:
    """Writes Rasa-shaped events into an `events` table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        _rasa_metadata.create_all(engine)

    def add(self, sender: str, kind: str, at: float, **data: Any) -> None:
        body: dict[str, Any] = {"event": kind, "timestamp": at, **data}
        with self.engine.begin() as connection:
            connection.execute(
                insert(events).values(
                    sender_id=sender,
                    type_name=kind,
                    timestamp=at,
                    intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
                    action_name=data.get("name") if kind == "action" else None,
                    data=json.dumps(body),
                )
            )

    def user(
        self,
        sender: str,
        intent: str,
        at: float,
        council: str | None = None,
        text: str = "my private words SW1A 1AA",
    ) -> None:
        metadata = {"council": council} if council else {}
        self.add(
            sender,
            "user",
            at,
            text=text,
            metadata=metadata,
            parse_data={"intent": {"name": intent, "confidence": 0.9}},
        )

    def bot(self, sender: str, response: str, at: float) -> None:
        self.add(sender, "bot", at, text="reply", metadata={"utter_action": response})
