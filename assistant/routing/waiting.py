"""Which councils have an outcome to tell at the resident's next message.

The `outcomes_waiting` slot lists the councils whose action server may have
something to tell: a back-office write left pending or unknown, a payment link
issued (actions/backoffice_write.py, actions/payment_links.py). Actions that write
add their council; the router adds the council whose server failed mid-call (a
write may have been recorded before it failed); `action_validate_slot_mappings`,
which reaches only the conversation's own council's server, leaves that council
listed while something is left to tell and drops every other. Rasa reads it to skip that call
when there is nothing to do (assistant/rasa_plugins/speedups.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OUTCOMES_WAITING_SLOT = "outcomes_waiting"
# The slots action_validate_slot_mappings validates (its `validate_<slot>` methods,
# actions/council.py); any other extracted slot it returns unchanged.
VALIDATED_SLOTS = frozenset({"council"})


def waiting_councils(value: Any) -> list[str]:
    """The slot's council ids (an unset or malformed slot: none)."""
    if not isinstance(value, list):
        return []
    return sorted({item for item in value if isinstance(item, str) and item})


def with_council(value: Any, council_id: str) -> list[str]:
    """The slot's value with `council_id` added."""
    return sorted({*waiting_councils(value), council_id})


def waiting_in_call(action_call: Mapping[str, Any]) -> Any:
    """The slot's value in an action call's tracker (None when absent)."""
    tracker = action_call.get("tracker")
    slots = tracker.get("slots") if isinstance(tracker, dict) else None
    return slots.get(OUTCOMES_WAITING_SLOT) if isinstance(slots, dict) else None


def waiting_event(value: Any, council_id: str) -> dict[str, Any]:
    """A slot event (action-server JSON) adding `council_id` to the slot."""
    value = with_council(value, council_id)
    return {"event": "slot", "name": OUTCOMES_WAITING_SLOT, "value": value}
