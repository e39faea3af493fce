"""Bins, recycling and bulky waste."""

from __future__ import annotations

import asyncio
import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    CouncilAction,
    council_backoffice,
    latest_entity,
    make_report,
    say_unavailable,
)
from assistant.backoffice.errors import BackOfficeError
from assistant.councils import Council

ADDRESS_DETAILS = ["postcode", "address"]


def postcode_prefill(tracker: Tracker) -> list[EventType]:
    """A postcode given in the request itself is the one to look up (validated by the form)."""
    postcode = latest_entity(tracker, "postcode")
    if postcode is None or postcode == tracker.get_slot("postcode"):
        return []
    return [SlotSet("postcode", postcode), SlotSet("address", None), SlotSet("uprn", None)]


def spoken_date(date: dt.date) -> str:
    """ "Tuesday 1 December"."""
    return f"{date:%A} {date.day} {date:%B}"


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


class BinCollectionDay(AddressAction):
    """When the bins are collected at the resident's address."""

    response = "utter_bin_collection_day"

    def name(self) -> str:
        return "action_bin_collection_day"

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        try:
            collections = await asyncio.to_thread(
                council_backoffice(council).waste.collections, tracker.get_slot("uprn")
            )
        except BackOfficeError:
            say_unavailable(dispatcher, council)
            return []
        if not collections:
            dispatcher.utter_message(response=self.response, **council.template_vars())
            return []
        schedule = "\n".join(f"- {c.bin_name}: {spoken_date(c.date)}" for c in collections)
        dispatcher.utter_message(
            response="utter_bin_collections",
            address=tracker.get_slot("address"),
            schedule=schedule,
            **council.template_vars(),
        )
        return []


class BinMissed(AddressAction):
    """A missed bin, reported to the council's Open311 endpoint."""

    response = "utter_bin_missed"

    def name(self) -> str:
        return "action_bin_missed"

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        reference = await make_report(
            dispatcher,
            council,
            "missed_bin",
            "Missed bin collection, reported through the online assistant.",
            address_string=tracker.get_slot("address"),
            address_id=tracker.get_slot("uprn"),
        )
        if reference is None:
            return []
        dispatcher.utter_message(
            response="utter_bin_missed_reported",
            reference=reference,
            address=tracker.get_slot("address"),
            **council.template_vars(),
        )
        return [SlotSet("last_report_ref", reference)]


class BulkyWaste(CouncilAction):
    """Large items and recycling centres."""

    response = "utter_bulky_waste"

    def name(self) -> str:
        return "action_bulky_waste"
