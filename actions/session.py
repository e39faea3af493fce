"""`action_session_start`: Rasa's session start, minus a verified identity.

Like Rasa's own, it carries the conversation's slots (its council, its postcode...)
into the new session when domain.yml says so, but never the session-bound ones
(actions/verification.py): a resident who comes back later, or whoever holds the
phone number next, proves the account again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.verification import SESSION_BOUND_SLOTS


def carried_slots(slots: dict[str, Any], carry_over: bool) -> list[EventType]:
    """SlotSet events for the slots a new session keeps."""
    if not carry_over:
        return []
    return [
        SlotSet(name, value)
        for name, value in slots.items()
        if value is not None and name not in SESSION_BOUND_SLOTS
    ]


class ActionSessionStart(Action):
    """Starts a session, carrying slots over except a verified identity."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        config = domain.get("session_config") or {}
        carry_over = bool(config.get("carry_over_slots_to_new_session", True))
        return [
            SessionStarted(),
            *carried_slots(dict(tracker.slots), carry_over),
            ActionExecuted("action_listen"),
        ]
