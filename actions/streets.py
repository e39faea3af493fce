"""Problems in the street: potholes, fly-tipping, street lights, and report status."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice_call import backoffice_call
from actions.backoffice_write import write_once
from actions.base import CONFIRMATION_SLOT, CouncilAction
from actions.confirmation import briefly, cancelled, is_cancel
from actions.details import DetailsValidation, described, pending_action
from actions.write_kinds import REPORT
from assistant.backoffice.errors import BackOfficeError
from assistant.backoffice.registry import BackOffice
from assistant.backoffice.street_reports import FiledReport, NewReport
from assistant.councils import Council
from assistant.identifiers import postcode_in
from assistant.postcodes import Place, PostcodeServiceError, default_lookup

STATUS_RESPONSES = {"open": "utter_report_status_open", "closed": "utter_report_status_closed"}
# Open311 ids take any form (issue 12): "BKR100001", "SRQ-0123-4567", or digits only
# ("293944", accepted where a report reference is asked about). Kept as written.
REPORT_REF = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z]{2,5}(?:-?\d{2,10}){1,3})(?![A-Za-z0-9-])")
NUMERIC_REPORT_REF = re.compile(r"(?<![A-Za-z0-9-])(\d{6,12})(?![A-Za-z0-9-])")
REFUSED = {"location": "utter_report_needs_postcode", "details": "utter_report_not_accepted"}


def place_in(location: Any, tracker: Tracker) -> Place | None:
    """The postcode data's place for the postcode in the location (else the
    conversation's postcode), for its coordinates; None when there is none."""
    postcode = postcode_in(location) or postcode_in(tracker.get_slot("postcode"))
    if postcode is None:
        return None
    try:
        place = default_lookup().find(postcode)
    except PostcodeServiceError:
        return None
    return place if place is not None and not place.terminated else None


def report_ref_in(value: Any, numeric: bool = True) -> str | None:
    """A street report reference ("BKR100001", "SRQ-0123-4567", and with `numeric`
    "293944") in the text, letters upper-cased, hyphens kept."""
    if not isinstance(value, str):
        return None
    match = REPORT_REF.search(value) or (NUMERIC_REPORT_REF.search(value) if numeric else None)
    return match.group(1).upper() if match else None


def tell_notice(dispatcher: CollectingDispatcher, council: Council, filed: FiledReport) -> None:
    """The council's notice given with a new report, when it gave one."""
    if filed.service_notice:
        dispatcher.utter_message(
            response="utter_report_service_notice",
            service_notice=filed.service_notice,
            **council.template_vars(),
        )


async def make_report(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    council: Council,
    kind: str,
    description: str,
    address_string: str | None,
    address_id: str | None = None,
    place: Place | None = None,
) -> FiledReport | None:
    """File a report of `kind` (e.g. "pothole", mapped to the council's Open311 service
    code) once, and return its reference. When it was not made, or we cannot tell yet,
    the resident is told so plainly and None is returned: a report is never silently
    lost, never said "not made" when it may have been, and never filed twice."""

    def create(backoffice: BackOffice, client_reference: str) -> FiledReport:
        code = backoffice.report_codes.get(kind)
        if code is None:
            raise BackOfficeError(f"{council.id} has no service code for {kind} reports")
        return backoffice.street_reports.create(
            NewReport(
                service_code=code,
                description=description,
                address_string=address_string,
                address_id=address_id,
                client_reference=client_reference,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
                easting=place.easting if place else None,
                northing=place.northing if place else None,
            )
        )

    content = "\x1f".join((kind, description, address_string or "", address_id or ""))
    return await write_once(
        dispatcher,
        tracker,
        council,
        REPORT,
        content,
        create,
        failed="utter_report_not_made",
        refused=REFUSED,
        to_follow="utter_report_reference_to_follow",
    )


class ReportPothole(CouncilAction):
    """A pothole, reported to the council's Open311 endpoint with its location."""

    response = "utter_report_pothole"
    correctable = ("report_location",)
    draft = ("report_location", "report_description")

    def name(self) -> str:
        return "action_report_pothole"

    def required_details(self, tracker: Tracker) -> list[str]:
        return ["report_location", CONFIRMATION_SLOT]

    async def summary(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> tuple[str, dict[str, Any]] | None:
        return "utter_confirm_pothole", {
            "location": tracker.get_slot("report_location"),
            "said": briefly(tracker.get_slot("report_description") or "Pothole"),
            **council.template_vars(),
        }

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
        filed = await make_report(
            dispatcher,
            tracker,
            council,
            "pothole",
            f"{said} (reported through the online assistant)",
            address_string=location,
            place=place_in(location, tracker),
        )
        if filed is None:
            return reset
        dispatcher.utter_message(
            response="utter_pothole_reported",
            reference=filed.reference,
            location=location,
            **council.template_vars(),
        )
        tell_notice(dispatcher, council, filed)
        return [*reset, SlotSet("last_report_ref", filed.reference)]


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
        status = await backoffice_call(
            dispatcher,
            council,
            lambda b: b.street_reports.status(reference),
            not_found="utter_report_not_found",
            reference=reference,
        )
        if status is None:
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


class StreetReportDetails(DetailsValidation):
    """`details_form`: where a problem is, and the reference of an earlier report."""

    async def validate_report_ref(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if not self.needed(tracker, "report_ref"):
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
        if not self.needed(tracker, "report_location"):
            return {"report_location": slot_value}
        action = pending_action(tracker)
        if action is not None and is_cancel(slot_value):
            return cancelled(dispatcher, action)
        text = described(slot_value, max_length=300)
        if text is None:
            dispatcher.utter_message(response="utter_report_location_invalid")
            return {"report_location": None}
        return {"report_location": text}
