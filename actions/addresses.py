"""A service at one address: the postcode, then which address there.

The addresses at a postcode are looked up once per conversation: checking the
postcode, asking which address and matching the answer all use that one lookup.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice_call import backoffice_call
from actions.base import CouncilAction, current_council, latest_entity
from actions.details import DetailsValidation, postcode_answer
from assistant.backoffice.waste import Address
from assistant.councils import Council, default_registry
from assistant.councils.placing import place_postcode

ADDRESS_DETAILS = ["postcode", "address"]

LookupKey = tuple[str, str, str]  # (conversation, council, postcode)


class AddressLookups:
    """The addresses found at each postcode in each conversation, kept for a while.

    Only a cache: a conversation that moves to another action server process,
    or comes back after `ttl_seconds`, is looked up again.
    """

    def __init__(
        self,
        max_entries: int = 2048,
        ttl_seconds: float = 1800.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: OrderedDict[LookupKey, tuple[float, list[Address]]] = OrderedDict()
        self._max_entries = max_entries
        self._ttl = ttl_seconds
        self._clock = clock

    def get(self, key: LookupKey) -> list[Address] | None:
        """The addresses kept for `key`, unless there are none or they are too old."""
        entry = self._entries.get(key)
        if entry is None or self._clock() - entry[0] > self._ttl:
            self._entries.pop(key, None)
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, key: LookupKey, addresses: list[Address]) -> None:
        """Keep `addresses` for `key`, forgetting the least recently used beyond the limit."""
        self._entries[key] = (self._clock(), list(addresses))
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


LOOKUPS = AddressLookups()


async def addresses_at(
    dispatcher: CollectingDispatcher, tracker: Tracker, council: Council, postcode: str
) -> list[Address] | None:
    """Every address at `postcode`, looked up once per conversation; None (and the
    resident told) when the back-office failed."""
    key = (tracker.sender_id, council.id, postcode)
    found = LOOKUPS.get(key)
    if found is None:
        found = await backoffice_call(dispatcher, council, lambda b: b.waste.addresses(postcode))
        if found is not None:
            LOOKUPS.put(key, found)
    return found


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


def postcode_prefill(tracker: Tracker) -> list[EventType]:
    """A postcode given in the request itself is the one to look up (validated by the form)."""
    postcode = latest_entity(tracker, "postcode")
    if postcode is None or postcode == tracker.get_slot("postcode"):
        return []
    return [SlotSet("postcode", postcode), SlotSet("address", None), SlotSet("uprn", None)]


class AddressAction(CouncilAction):
    """A service for one address: asks the postcode, then which address there."""

    def required_details(self, tracker: Tracker) -> list[str]:
        return ADDRESS_DETAILS

    def missing_details(self, tracker: Tracker, council: Council) -> list[str]:
        if postcode_prefill(tracker):  # a new postcode in the request: choose its address
            return ADDRESS_DETAILS
        return super().missing_details(tracker, council)

    def prefill(self, tracker: Tracker, council: Council) -> list[EventType]:
        return postcode_prefill(tracker)


class AddressDetails(DetailsValidation):
    """`details_form`: the postcode (in the council's area, with addresses) and the address."""

    async def validate_postcode(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        council = self.council_for(tracker, "postcode", slot_value)
        if isinstance(council, dict):
            return council
        postcode = postcode_answer(dispatcher, "postcode", slot_value)
        if isinstance(postcode, dict):
            return postcode
        placed = place_postcode(postcode, default_registry())
        if (
            placed.place is not None
            and not placed.place.terminated
            and not council.covers(placed.place)
        ):
            dispatcher.utter_message(
                response="utter_postcode_other_area", postcode=postcode, **council.template_vars()
            )
            return {"postcode": None}
        addresses = await addresses_at(dispatcher, tracker, council, postcode)
        if addresses is None:
            return self.stop("postcode")
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
        found = self.checked_against(tracker, "address", slot_value, "postcode")
        if isinstance(found, dict):
            return found
        council, postcode = found
        if tracker.get_slot("uprn") and slot_value == tracker.get_slot("address"):
            return {"address": slot_value}  # chosen already (the postcode had one address)
        addresses = await addresses_at(dispatcher, tracker, council, postcode)
        if addresses is None:
            return self.stop("address")
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
        addresses = await addresses_at(dispatcher, tracker, council, postcode)
        if addresses is None:
            return []
        buttons = [{"title": a.line, "payload": f'/inform{{"uprn":"{a.uprn}"}}'} for a in addresses]
        dispatcher.utter_message(response="utter_ask_address", postcode=postcode, buttons=buttons)
        return []
