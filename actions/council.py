"""Which council a conversation belongs to: channel metadata, else a postcode."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker, ValidationAction
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice_write import tell_earlier_outcomes
from actions.base import (
    COUNCIL_SLOT,
    DETAILS_STOPPED_SLOT,
    PENDING_ACTION_SLOT,
    council_action_named,
    current_council,
    latest_metadata,
)
from actions.details import postcode_answer
from actions.escapes import EscapableForm
from actions.payment_links import payment_links, tell_payment_outcomes
from assistant.councils import Council, default_registry
from assistant.councils.placing import TERMINATED, UNKNOWN, place_postcode
from assistant.routing.runtime import backoffice_for, pending_writes
from assistant.routing.waiting import (
    OUTCOMES_WAITING_SLOT,
    waiting_councils,
)

RETYPE = (TERMINATED, UNKNOWN)


class ValidateSlotMappings(ValidationAction):
    """Runs after a resident's message: binds the conversation to the council
    named in the channel's metadata (the widget on a council's site, an SMS number).
    Free text never sets the council. On a council's action server it first tells the
    outcome of earlier back-office writes the resident has not heard (issue 10,
    finding 7). Rasa makes this call only when it has work (issue 14): metadata naming
    another council, slots to validate, or this council in `outcomes_waiting`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        council = current_council(tracker)
        await tell_earlier_outcomes(dispatcher, tracker, council)
        await tell_payment_outcomes(dispatcher, tracker, council)
        events = await super().run(dispatcher, tracker, domain)
        return events + await outcomes_left(tracker, council)

    async def extract_council(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        requested = latest_metadata(tracker).get(COUNCIL_SLOT)
        if requested is None:
            return {}
        council = default_registry().get(requested)
        if council is not None:
            return {COUNCIL_SLOT: council.id}
        if not tracker.get_slot("council_rejected") and current_council(tracker) is None:
            dispatcher.utter_message(response="utter_council_unknown")
        return {"council_rejected": True}

    async def validate_council(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Only ids of configured councils are ever set; anything else is cleared."""
        council = default_registry().get(slot_value)
        return {COUNCIL_SLOT: council.id if council is not None else None}


async def outcomes_left(tracker: Tracker, council: Council | None) -> list[EventType]:
    """`outcomes_waiting` after this server told what it could: its council kept only
    while something is left to tell (no event when unchanged). Any other council is
    dropped: this call only ever reaches the conversation's own council's server, so
    a county listed in a district's conversation would keep Rasa calling at every
    message for nothing."""
    if council is None or backoffice_for(council) is None:
        return []  # the council-free server, or another council's: nothing to say
    left = await asyncio.to_thread(_anything_left, tracker.sender_id, council.id)
    current = tracker.get_slot(OUTCOMES_WAITING_SLOT)
    value = [council.id] if left else []
    return [] if value == waiting_councils(current) else [SlotSet(OUTCOMES_WAITING_SLOT, value)]


def _anything_left(conversation_id: str, council_id: str) -> bool:
    writes = pending_writes().untold(conversation_id)
    if any(record.council == council_id for record in writes):
        return True
    return payment_links().waiting(conversation_id, council_id)


class ValidateCouncilForm(EscapableForm, FormValidationAction):
    """Asks for a postcode and resolves the council that serves it."""

    def name(self) -> str:
        return "validate_council_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # Stopped (a way out was taken, or no council here serves the postcode).
        return [] if tracker.get_slot(DETAILS_STOPPED_SLOT) else domain_slots

    async def validate_postcode(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if not slot_value:
            # Cleared by the request that needs a council: nothing was typed yet.
            return {"postcode": None}
        postcode = postcode_answer(dispatcher, "postcode", slot_value)
        if isinstance(postcode, dict):
            return postcode
        placed = place_postcode(postcode, default_registry())
        if placed.council is None:
            dispatcher.utter_message(**placed.reply())
            if placed.response in RETYPE:
                return {"postcode": None}  # a mistyped or old postcode: ask again
            # Where to go instead, and the question ends: asking again would loop.
            return {"postcode": None, DETAILS_STOPPED_SLOT: True}
        return {"postcode": postcode, COUNCIL_SLOT: placed.council.id}


class ActionResumePending(Action):
    """After council_form has found the council, answers the request that needed it."""

    def name(self) -> str:
        return "action_resume_pending"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SlotSet(PENDING_ACTION_SLOT, None)]
        if tracker.get_slot(DETAILS_STOPPED_SLOT) and current_council(tracker) is None:
            # council_form was left with an alternative already given: nothing to add.
            return events + [SlotSet(DETAILS_STOPPED_SLOT, None)]
        action = council_action_named(tracker.get_slot(PENDING_ACTION_SLOT))
        if action is None or current_council(tracker) is None:
            dispatcher.utter_message(response="utter_ask_what_help")
            return events
        return events + await action.run(dispatcher, tracker, domain)
