"""Which council an action call belongs to, and the reply when it cannot be served.

Used by the action router (to choose the council's action server) and by each
council's action server (to refuse calls that belong to another council).
"""

from __future__ import annotations

from typing import Any

from assistant.councils import Council, CouncilRegistry
from assistant.councils.services import service_of_call

COUNCIL_SLOT = "council"
UNAVAILABLE_RESPONSE = "utter_service_unavailable"
UNAVAILABLE_NO_COUNCIL_RESPONSE = "utter_service_unavailable_no_council"


def tracker_of(action_call: Any) -> dict[str, Any]:
    """The tracker in an action call, or {} when the call has none."""
    tracker = action_call.get("tracker") if isinstance(action_call, dict) else None
    return tracker if isinstance(tracker, dict) else {}


def slot_council(action_call: Any) -> str | None:
    """The council slot's value, as sent (None when unset or not text)."""
    slots = tracker_of(action_call).get("slots")
    value = slots.get(COUNCIL_SLOT) if isinstance(slots, dict) else None
    return value if isinstance(value, str) and value else None


def metadata_council(action_call: Any) -> str | None:
    """The `council` in the channel metadata of the latest user message, if any."""
    events = tracker_of(action_call).get("events")
    for event in reversed(events if isinstance(events, list) else []):
        if isinstance(event, dict) and event.get("event") == "user":
            metadata = event.get("metadata")
            value = metadata.get(COUNCIL_SLOT) if isinstance(metadata, dict) else None
            return value if isinstance(value, str) and value else None
    return None


def council_of(action_call: Any, registry: CouncilRegistry) -> tuple[Council | None, str | None]:
    """The council that answers the call, and the raw id the call claimed.

    The conversation's own council is the slot when set, else a configured council
    named in the latest message's metadata; the call is answered by the council that
    provides the action's service there (a district's county for roads), else by it."""
    claimed = slot_council(action_call)
    if claimed is not None:
        home = registry.get(claimed)
    else:
        home = registry.get(metadata_council(action_call))
    if home is None:
        return None, claimed
    return registry.handler_of(home, service_of_call(action_call)), claimed


def belongs_to(action_call: Any, council_id: str | None, registry: CouncilRegistry) -> bool:
    """True when the call may run on the action server of `council_id` (None: the
    council-free server, which only takes conversations with no council yet)."""
    council, claimed = council_of(action_call, registry)
    if council_id is None:
        return claimed is None and council is None
    return council is not None and council.id == council_id


def unavailable_reply(council: Council | None) -> dict[str, Any]:
    """A well-formed action server answer: no events, one 'service unavailable' reply
    with the council's contact details when the council is known."""
    if council is None:
        return {"events": [], "responses": [{"response": UNAVAILABLE_NO_COUNCIL_RESPONSE}]}
    return {
        "events": [],
        "responses": [{"response": UNAVAILABLE_RESPONSE, **council.template_vars()}],
    }
