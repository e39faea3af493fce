"""Exporting one resident's data (UK GDPR right of access), as JSON.

Every event of each of their conversations as Rasa stored it (messages, the
assistant's replies, slots), and what the SMS channels keep about them.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from assistant.privacy.stores import DataStores


def export(stores: DataStores, conversations: list[str], now: datetime) -> dict[str, Any]:
    """Everything kept about these conversations (those with nothing kept are left out)."""
    found = []
    for conversation in conversations:
        events = stores.trackers.events_of(conversation)
        sms = stores.sms.of_conversation(conversation)
        if events or sms:
            found.append(
                {
                    "conversation_id": conversation,
                    "council": stores.trackers.council_of(conversation) if events else None,
                    "events": events,
                    "sms": sms,
                }
            )
    return {
        "exported_at": now.astimezone(timezone.utc).isoformat(),
        "conversations": found,
    }


def export_json(stores: DataStores, conversations: list[str], now: datetime) -> str:
    """`export` as indented JSON text."""
    return json.dumps(export(stores, conversations, now), indent=2, ensure_ascii=False)
