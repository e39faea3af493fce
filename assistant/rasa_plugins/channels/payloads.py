"""Hand-typed payloads are plain text (issue 9, item 5).

Rasa reads a message that starts with "/" as an intent with entities
(`/restart`, `/inform{"uprn": "..."}`), skipping NLU and every check that typed
text gets. Buttons send such payloads, so a payload is let through only when it is
one of the buttons the assistant offered in its last turn; anything else loses its
leading "/" and is understood, and validated, as the words it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Harmless whenever sent: a new session keeps the conversation's slots but no proof
# of identity (actions/session.py), and the web chat widget opens with `/greet` (the
# welcome). `/restart`, which would wipe a conversation, is words like any other.
ALWAYS_ALLOWED = frozenset({"/session_start", "/greet"})


def offered_payloads(events: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """The button payloads of the assistant's replies since the resident last spoke."""
    offered: set[str] = set()
    for event in reversed(list(events)):
        if event.get("event") == "user":
            break
        if event.get("event") != "bot":
            continue
        data = event.get("data") or {}
        for button in data.get("buttons") or []:
            payload = button.get("payload") if isinstance(button, Mapping) else None
            if isinstance(payload, str):
                offered.add(payload.strip())
    return frozenset(offered)


def as_typed(text: str, offered: frozenset[str]) -> str:
    """`text` as the resident's words: a leading "/" is kept only on an offered payload."""
    if not text.lstrip().startswith("/") or text.strip() in offered | ALWAYS_ALLOWED:
        return text
    return text.lstrip().lstrip("/").lstrip()


async def typed_text(agent: Any, sender: str, text: str) -> str:
    """`text` from `sender`, checked against what the conversation last offered."""
    if not text.lstrip().startswith("/"):
        return text
    store = getattr(agent, "tracker_store", None)
    tracker = await store.retrieve(sender) if store is not None else None
    events = [event.as_dict() for event in tracker.events] if tracker is not None else []
    return as_typed(text, offered_payloads(events))
