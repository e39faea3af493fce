"""Problems in the street: potholes, fly-tipping, street lights, and report status."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CouncilAction, council_backoffice, make_report, say_unavailable
from actions.details import report_ref_in
from assistant.backoffice.errors import BackOfficeError, NotFound
from assistant.councils import Council

STATUS_RESPONSES = {"open": "utter_report_status_open", "closed": "utter_report_status_closed"}


class ReportPothole(CouncilAction):
    """A pothole, reported to the council's Open311 endpoint with its location."""

    response = "utter_report_pothole"

    def name(self) -> str:
        return "action_report_pothole"

    def required_details(self, tracker: Tracker) -> list[str]:
        return ["report_location"]

    def prefill(self, tracker: Tracker, council: Council) -> list[EventType]:
        text = tracker.latest_message.get("text")
        return [SlotSet("report_description", text[:1000] if isinstance(text, str) else None)]

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        location = tracker.get_slot("report_location")
        said = tracker.get_slot("report_description") or "Pothole"
        reset: list[EventType] = [
            SlotSet("report_location", None),
            SlotSet("report_description", None),
        ]
        reference = await make_report(
            dispatcher,
            council,
            "pothole",
            f"{said} (reported through the online assistant)",
            address_string=location,
        )
        if reference is None:
            return reset
        dispatcher.utter_message(
            response="utter_pothole_reported",
            reference=reference,
            location=location,
            **council.template_vars(),
        )
        return [*reset, SlotSet("last_report_ref", reference)]


class ReportStatus(CouncilAction):
    """Where a report made earlier has got to, by its reference."""

    response = "utter_report_status_open"

    def name(self) -> str:
        return "action_report_status"

    def required_details(self, tracker: Tracker) -> list[str]:
        return ["report_ref"]

    def prefill(self, tracker: Tracker, council: Council) -> list[EventType]:
        return []

    async def before_details(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> list[EventType] | None:
        given = report_ref_in(tracker.latest_message.get("text"))
        reference = given or tracker.get_slot("report_ref") or tracker.get_slot("last_report_ref")
        if reference is None:
            return None
        return await self._status(dispatcher, council, reference)

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        return await self._status(dispatcher, council, tracker.get_slot("report_ref"))

    async def _status(
        self, dispatcher: CollectingDispatcher, council: Council, reference: str
    ) -> list[EventType]:
        reset: list[EventType] = [SlotSet("report_ref", None)]
        try:
            status = await asyncio.to_thread(
                council_backoffice(council).street_reports.status, reference
            )
        except NotFound:
            dispatcher.utter_message(
                response="utter_report_not_found", reference=reference, **council.template_vars()
            )
            return reset
        except BackOfficeError:
            say_unavailable(dispatcher, council)
            return reset
        dispatcher.utter_message(
            response=STATUS_RESPONSES.get(status.status, "utter_report_status_open"),
            reference=status.reference,
            service_name=status.service_name,
            status_notes=status.status_notes or "",
            **council.template_vars(),
        )
        return reset


class ReportFlyTipping(CouncilAction):
    """Rubbish dumped in a public place."""

    response = "utter_report_fly_tipping"

    def name(self) -> str:
        return "action_report_fly_tipping"


class ReportStreetLight(CouncilAction):
    """A street light that is out or faulty."""

    response = "utter_report_street_light"

    def name(self) -> str:
        return "action_report_street_light"
