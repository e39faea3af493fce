"""What every service's `details_form` validation shares.

Each service action lists its `required_details`; the form asks only for those.
Each service validates its own slots (`validate_<slot>`) in a `DetailsValidation`
subclass beside its action; `actions/details_form.py` joins them into the one
`validate_details_form` that domain.yml names.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    DETAILS_STOPPED_SLOT,
    PENDING_ACTION_SLOT,
    CouncilAction,
    council_action_named,
    current_council,
)
from actions.escapes import EscapableForm
from assistant.councils import Council
from assistant.identifiers import find_entities, postcode_in


def pending_action(tracker: Tracker) -> CouncilAction | None:
    """The service action the form is collecting details for."""
    return council_action_named(tracker.get_slot(PENDING_ACTION_SLOT))


def described(value: Any, max_length: int) -> str | None:
    """A resident's free-text description, whitespace collapsed, if it says something:
    at least 4 characters with a 3-letter word in them, and at most `max_length`."""
    text = " ".join(str(value or "").split())
    if len(text) < 4 or not re.search(r"[A-Za-z]{3}", text) or len(text) > max_length:
        return None
    return text


def reference_in(value: Any, entity: str) -> str | None:
    """A council tax or planning reference typed on its own or inside a sentence."""
    if not isinstance(value, str):
        return None
    found = [f.value for f in find_entities(value) if f.entity == entity]
    if found:
        return found[0]
    compact = re.sub(r"\s+", "", value).upper()
    return compact if 0 < len(compact) <= 20 else None


def postcode_answer(
    dispatcher: CollectingDispatcher, slot: str, slot_value: Any
) -> str | dict[str, Any]:
    """The UK postcode in the answer, or (said to try again) the slots to return."""
    postcode = postcode_in(slot_value)
    if postcode is None:
        dispatcher.utter_message(response="utter_postcode_invalid")
        return {slot: None}
    return postcode


def reference_example(council: Council, kind: str) -> str:
    """An example of the council's `kind` reference, to show with a retry."""
    examples = council.reference_examples
    value = examples.get(kind) if isinstance(examples, dict) else None
    return str(value) if value else f"the reference on your {kind.replace('_', ' ')} letter"


class DetailsValidation(EscapableForm, FormValidationAction):
    """Base of `validate_details_form` and of each service's part of it."""

    @abstractmethod
    def name(self) -> str:
        """The validation action's name in domain.yml."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        action = pending_action(tracker)
        if action is None or tracker.get_slot(DETAILS_STOPPED_SLOT):
            return []
        return action.required_details(tracker)

    def needed(self, tracker: Tracker, slot: str) -> bool:
        """Whether the pending action needs `slot` (others are left as they are)."""
        action = pending_action(tracker)
        return action is not None and slot in action.required_details(tracker)

    def council_for(self, tracker: Tracker, slot: str, slot_value: Any) -> Council | dict[str, Any]:
        """The council answering, when the pending action needs `slot` now; else the
        slots to return instead (`slot` as it is)."""
        council = current_council(tracker)
        if not self.needed(tracker, slot) or council is None:
            return {slot: slot_value}
        return council

    def checked_against(
        self, tracker: Tracker, slot: str, slot_value: Any, earlier: str
    ) -> tuple[Council, str] | dict[str, Any]:
        """The council and the `earlier` detail that `slot` is checked against. When
        it is not to be checked now, the slots to return instead: `slot` as it is when
        the pending action does not need it, else None (asked again) while the council
        or the earlier detail is missing."""
        if not self.needed(tracker, slot):
            return {slot: slot_value}
        council = current_council(tracker)
        value = tracker.get_slot(earlier)
        if council is None or not value:
            return {slot: None}
        return council, str(value)

    def stop(self, slot: str) -> dict[str, Any]:
        """Stop asking: the back-office failed and the resident has been told."""
        return {slot: None, DETAILS_STOPPED_SLOT: True}

    def council_reference(
        self,
        slot: str,
        invalid_response: str,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """A reference in the council's own format, or a retry with an example."""
        kind = slot.removesuffix("_ref")
        council = self.council_for(tracker, slot, slot_value)
        if isinstance(council, dict):
            return council
        reference = reference_in(slot_value, slot)
        if reference is None or not council.reference_matches(kind, reference):
            dispatcher.utter_message(
                response=invalid_response,
                example=reference_example(council, kind),
                **council.template_vars(),
            )
            return {slot: None}
        return {slot: reference}
