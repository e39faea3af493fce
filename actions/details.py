"""`details_form`: collects whatever details the pending action still needs.

Each service action lists its `required_details`; this validator asks only for
those, validates each with `validate_<slot>` (against the council's reference
formats and, where needed, its back-office) and stops the form politely when the
back-office cannot be reached.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    DETAILS_STOPPED_SLOT,
    PENDING_ACTION_SLOT,
    CouncilAction,
    council_action_named,
    council_backoffice,
    current_council,
    latest_entity,
    say_unavailable,
)
from assistant.backoffice.errors import BackOfficeError, NotFound
from assistant.backoffice.waste import Address
from assistant.councils import Council
from assistant.identifiers import find_entities, mask_reference, postcode_in

MAX_ATTEMPTS = 3
REPORT_REF = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2,4}-?\d{4,10})(?![A-Za-z0-9])")


def verified_account(council: Council, reference: str) -> str:
    """The `verified_account` slot value: the reference, bound to its council."""
    return f"{council.id}:{reference}"


def pending_action(tracker: Tracker) -> CouncilAction | None:
    """The service action the form is collecting details for."""
    return council_action_named(tracker.get_slot(PENDING_ACTION_SLOT))


def reference_in(value: Any, entity: str) -> str | None:
    """A council tax or planning reference typed on its own or inside a sentence."""
    if not isinstance(value, str):
        return None
    found = [f.value for f in find_entities(value) if f.entity == entity]
    if found:
        return found[0]
    compact = re.sub(r"\s+", "", value).upper()
    return compact if 0 < len(compact) <= 20 else None


def described(value: Any, max_length: int) -> str | None:
    """A resident's free-text description, whitespace collapsed, if it says something:
    at least 4 characters with a 3-letter word in them, and at most `max_length`."""
    text = " ".join(str(value or "").split())
    if len(text) < 4 or not re.search(r"[A-Za-z]{3}", text) or len(text) > max_length:
        return None
    return text


def report_ref_in(value: Any) -> str | None:
    """A street report reference ("BKR100001") in the text."""
    if not isinstance(value, str):
        return None
    match = REPORT_REF.search(value)
    return match.group(1).replace("-", "").upper() if match else None


def match_address(
    addresses: list[Address], text: str, house: str | None, uprn: str | None
) -> Address | None:
    """The one address the resident chose: by button (UPRN), house number or name."""
    if uprn:
        return next((a for a in addresses if a.uprn == uprn), None)
    wanted = (house or text or "").strip().lower()
    wanted = re.sub(r"^(number|no\.?|house|it'?s|at)\s+", "", wanted)
    if not wanted:
        return None
    starts = [a for a in addresses if re.match(rf"{re.escape(wanted)}\b", a.line.lower())]
    if len(starts) == 1:
        return starts[0]
    contains = [a for a in addresses if wanted in a.line.lower()]
    return contains[0] if len(contains) == 1 else None


class ValidateDetailsForm(FormValidationAction):
    """Validates `details_form` for the pending action."""

    def name(self) -> str:
        return "validate_details_form"

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

    def _needed(self, tracker: Tracker, slot: str) -> bool:
        action = pending_action(tracker)
        return action is not None and slot in action.required_details(tracker)

    def _stop(
        self, dispatcher: CollectingDispatcher, council: Council, slot: str
    ) -> dict[str, Any]:
        say_unavailable(dispatcher, council)
        return {slot: None, DETAILS_STOPPED_SLOT: True}

    # --- where: postcode and address ----------------------------------------------

    async def validate_postcode(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        council = current_council(tracker)
        if not self._needed(tracker, "postcode") or council is None:
            return {"postcode": slot_value}
        postcode = postcode_in(slot_value)
        if postcode is None:
            dispatcher.utter_message(response="utter_postcode_invalid")
            return {"postcode": None}
        if not council.serves(postcode):
            dispatcher.utter_message(
                response="utter_postcode_other_area", postcode=postcode, **council.template_vars()
            )
            return {"postcode": None}
        try:
            addresses = await asyncio.to_thread(
                council_backoffice(council).waste.addresses, postcode
            )
        except BackOfficeError:
            return self._stop(dispatcher, council, "postcode")
        if not addresses:
            dispatcher.utter_message(response="utter_no_addresses", postcode=postcode)
            return {"postcode": None}
        events: dict[str, Any] = {"postcode": postcode, "address": None, "uprn": None}
        if len(addresses) == 1:
            events.update(address=addresses[0].line, uprn=addresses[0].uprn)
        return events

    async def validate_address(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        council = current_council(tracker)
        postcode = tracker.get_slot("postcode")
        if not self._needed(tracker, "address") or council is None or not postcode:
            return {"address": slot_value}
        if tracker.get_slot("uprn") and slot_value == tracker.get_slot("address"):
            return {"address": slot_value}  # chosen already (the postcode had one address)
        try:
            addresses = await asyncio.to_thread(
                council_backoffice(council).waste.addresses, postcode
            )
        except BackOfficeError:
            return self._stop(dispatcher, council, "address")
        chosen = match_address(
            addresses,
            str(slot_value or ""),
            latest_entity(tracker, "house"),
            latest_entity(tracker, "uprn"),
        )
        if chosen is None:
            dispatcher.utter_message(response="utter_address_not_matched", postcode=postcode)
            return {"address": None, "uprn": None}
        return {"address": chosen.line, "uprn": chosen.uprn}

    # --- council tax: reference and property postcode, checked together -------------

    async def validate_council_tax_ref(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._reference(
            "council_tax_ref", "utter_council_tax_ref_invalid", slot_value, dispatcher, tracker
        )

    async def validate_property_postcode(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        council = current_council(tracker)
        reference = tracker.get_slot("council_tax_ref")
        if not self._needed(tracker, "property_postcode") or council is None or not reference:
            return {"property_postcode": slot_value}
        postcode = postcode_in(slot_value)
        if postcode is None:
            dispatcher.utter_message(response="utter_postcode_invalid")
            return {"property_postcode": None}
        try:
            account = await asyncio.to_thread(
                council_backoffice(council).council_tax.account, reference
            )
            matched = account.belongs_to(postcode)
        except NotFound:
            matched = False  # never reveal whether an account exists
        except BackOfficeError:
            return self._stop(dispatcher, council, "property_postcode")
        if matched:
            return {
                "property_postcode": None,
                "verified_account": verified_account(council, reference),
                "verification_attempts": 0,
            }
        attempts = int(tracker.get_slot("verification_attempts") or 0) + 1
        if attempts < MAX_ATTEMPTS:
            dispatcher.utter_message(
                response="utter_verification_failed",
                attempts_left=MAX_ATTEMPTS - attempts,
                reference=mask_reference(reference),
            )
        return {
            "council_tax_ref": None,
            "property_postcode": None,
            "verification_attempts": attempts,
        }

    # --- planning and street reports ------------------------------------------------

    async def validate_planning_ref(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._reference(
            "planning_ref", "utter_planning_ref_invalid", slot_value, dispatcher, tracker
        )

    def _reference(
        self,
        slot: str,
        invalid_response: str,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """A reference in the council's own format, or a retry with an example."""
        kind = slot.removesuffix("_ref")
        council = current_council(tracker)
        if not self._needed(tracker, slot) or council is None:
            return {slot: slot_value}
        reference = reference_in(slot_value, slot)
        if reference is None or not council.reference_matches(kind, reference):
            dispatcher.utter_message(
                response=invalid_response,
                example=_example(council, kind),
                **council.template_vars(),
            )
            return {slot: None}
        return {slot: reference}

    async def validate_report_ref(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if not self._needed(tracker, "report_ref"):
            return {"report_ref": slot_value}
        reference = report_ref_in(slot_value)
        if reference is None:
            dispatcher.utter_message(response="utter_report_ref_invalid")
            return {"report_ref": None}
        return {"report_ref": reference}

    async def validate_report_location(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if not self._needed(tracker, "report_location"):
            return {"report_location": slot_value}
        text = described(slot_value, max_length=300)
        if text is None:
            dispatcher.utter_message(response="utter_report_location_invalid")
            return {"report_location": None}
        return {"report_location": text}

    async def validate_repair_description(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        from actions.housing import emergency_in

        council = current_council(tracker)
        if not self._needed(tracker, "repair_description") or council is None:
            return {"repair_description": slot_value}
        text = " ".join(str(slot_value or "").split())
        if emergency_in(text) is not None:
            dispatcher.utter_message(response="utter_repair_emergency", **council.template_vars())
            return {"repair_description": None, DETAILS_STOPPED_SLOT: True}
        if described(text, max_length=1000) is None:
            dispatcher.utter_message(response="utter_repair_description_invalid")
            return {"repair_description": None}
        return {"repair_description": text}


class ActionAskAddress(Action):
    """Asks which address at the postcode, one button per address."""

    def name(self) -> str:
        return "action_ask_address"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        council = current_council(tracker)
        postcode = tracker.get_slot("postcode")
        if council is None or not postcode:
            dispatcher.utter_message(response="utter_ask_postcode")
            return []
        try:
            addresses = await asyncio.to_thread(
                council_backoffice(council).waste.addresses, postcode
            )
        except BackOfficeError:
            say_unavailable(dispatcher, council)
            return []
        buttons = [{"title": a.line, "payload": f'/inform{{"uprn":"{a.uprn}"}}'} for a in addresses]
        dispatcher.utter_message(response="utter_ask_address", postcode=postcode, buttons=buttons)
        return []


def _example(council: Council, kind: str) -> str:
    examples = council.reference_examples
    value = examples.get(kind) if isinstance(examples, dict) else None
    return str(value) if value else f"the reference on your {kind.replace('_', ' ')} letter"
