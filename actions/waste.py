"""Bins, recycling and bulky waste."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.addresses import ADDRESS_DETAILS, AddressAction, postcode_prefill
from actions.backoffice_call import backoffice_call
from actions.base import CONFIRMATION_SLOT, CouncilAction
from actions.confirmation import briefly
from actions.streets import make_report, tell_notice
from assistant.councils import Council


def spoken_date(date: dt.date) -> str:
    """ "Tuesday 1 December"."""
    return f"{date:%A} {date.day} {date:%B}"


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
        uprn = tracker.get_slot("uprn")
        collections = await backoffice_call(
            dispatcher, council, lambda b: b.waste.collections(uprn)
        )
        if collections is None:
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
    correctable = ("postcode", "address", "uprn")
    draft = ("report_description",)

    def name(self) -> str:
        return "action_bin_missed"

    def required_details(self, tracker: Tracker) -> list[str]:
        return [*ADDRESS_DETAILS, CONFIRMATION_SLOT]

    def missing_details(self, tracker: Tracker, council: Council) -> list[str]:
        if postcode_prefill(tracker):  # a new postcode in the request: choose its address
            return self.required_details(tracker)
        return CouncilAction.missing_details(self, tracker, council)

    def prefill(self, tracker: Tracker, council: Council) -> list[EventType]:
        text = tracker.latest_message.get("text")
        if tracker.latest_message.get("intent", {}).get("name") != "bin_missed":
            return postcode_prefill(tracker)
        said = text[:1000] if isinstance(text, str) else None
        return [*postcode_prefill(tracker), SlotSet("report_description", said)]

    async def summary(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> tuple[str, dict[str, Any]] | None:
        return "utter_confirm_missed_bin", {
            "address": tracker.get_slot("address"),
            "said": briefly(tracker.get_slot("report_description") or "Missed bin collection"),
            **council.template_vars(),
        }

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        said = tracker.get_slot("report_description") or "Missed bin collection"
        filed = await make_report(
            dispatcher,
            tracker,
            council,
            "missed_bin",
            f"{said} (reported through the online assistant)",
            address_string=tracker.get_slot("address"),
            address_id=tracker.get_slot("uprn"),
        )
        if filed is None:
            return [SlotSet("report_description", None)]
        dispatcher.utter_message(
            response="utter_bin_missed_reported",
            reference=filed.reference,
            address=tracker.get_slot("address"),
            **council.template_vars(),
        )
        tell_notice(dispatcher, council, filed)
        return [SlotSet("report_description", None), SlotSet("last_report_ref", filed.reference)]


class BulkyWaste(CouncilAction):
    """Large items and recycling centres."""

    response = "utter_bulky_waste"

    def name(self) -> str:
        return "action_bulky_waste"
