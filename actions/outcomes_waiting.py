"""Telling Rasa that a council may have an outcome to tell later (issue 14).

A write or a payment offer notes its council (`note_outcome_to_tell`); the action
that made it then adds the council to the `outcomes_waiting` slot, which makes Rasa
call `action_validate_slot_mappings` at the next message, where the outcome is told
(assistant/routing/waiting.py). Noted for every write, told or not: the slot-mapping
call then removes the council once nothing is left to tell.
"""

from __future__ import annotations

from collections.abc import Awaitable
from contextvars import ContextVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from assistant.councils import Council
from assistant.routing.waiting import OUTCOMES_WAITING_SLOT, waiting_councils, with_council

_noted: ContextVar[frozenset[str]] = ContextVar("outcomes_noted", default=frozenset())


def note_outcome_to_tell(council: Council) -> None:
    """A write or payment of `council` was started: its outcome may come later."""
    _noted.set(_noted.get() | {council.id})


async def noting_outcomes(tracker: Tracker, answer: Awaitable[list[EventType]]) -> list[EventType]:
    """`answer`'s events, with the councils it noted added to `outcomes_waiting`."""
    token = _noted.set(frozenset())
    try:
        events = await answer
        noted = _noted.get()
    finally:
        _noted.reset(token)
    if not noted:
        return events
    value = waiting_councils(tracker.get_slot(OUTCOMES_WAITING_SLOT))
    for council_id in sorted(noted):
        value = with_council(value, council_id)
    return [*events, SlotSet(OUTCOMES_WAITING_SLOT, value)]
