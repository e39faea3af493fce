"""Problems in the street: reports filed through Open311, and report status."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from rasa_sdk.utils import all_subclasses

from actions.backoffice_call import backoffice_call
from actions.backoffice_write import write_once
from actions.base import (
    CONFIRMATION_SLOT,
    DETAILS_STOPPED_SLOT,
    PENDING_ACTION_SLOT,
    CouncilAction,
    _import_all_actions,
    council_action_named,
    current_council,
)
from actions.confirmation import briefly, cancelled, is_cancel
from actions.details import DetailsValidation, described, pending_action
from actions.report_postcode import (
    NEEDS_POINT_SLOT,
    POSTCODE_SLOT,
    must_ask_postcode,
    place_in,
    postcode_needed,
)
from actions.street_problems import council_files, location_in, problem_named
from actions.write_kinds import REPORT
from assistant.backoffice import street_reports
from assistant.backoffice.errors import BackOfficeError, NotFound
from assistant.backoffice.housing import RepairStatus
from assistant.backoffice.registry import BackOffice, NotProvided
from assistant.backoffice.street_reports import FiledReport, NewReport
from assistant.councils import Council
from assistant.identifiers import postcode_in
from assistant.postcodes import Place

STATUS_RESPONSES = {"open": "utter_report_status_open", "closed": "utter_report_status_closed"}
# Open311 ids take any form (issue 12): "BKR100001", "SRQ-0123-4567", or digits only
# ("293944", accepted where a report reference is asked about). Kept as written.
REPORT_REF = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z]{2,5}(?:-?\d{2,10}){1,3})(?![A-Za-z0-9-])")
NUMERIC_REPORT_REF = re.compile(r"(?<![A-Za-z0-9-])(\d{6,12})(?![A-Za-z0-9-])")
REFUSED = {"location": "utter_report_needs_postcode", "details": "utter_report_not_accepted"}


def report_or_repair_status(
    backoffice: BackOffice, reference: str
) -> street_reports.ReportStatus | RepairStatus:
    """A street report's status, else a housing repair's (both answer "my report")."""
    try:
        return backoffice.street_reports.status(reference)
    except NotFound:
        if isinstance(backoffice.housing_repairs, NotProvided):
            raise  # a council without housing (a county): not a repair either
        return backoffice.housing_repairs.status(reference)


def repair_as_report(repair: RepairStatus) -> street_reports.ReportStatus:
    """A repair's status in the words of a report's."""
    try:
        day = dt.date.fromisoformat(repair.target)
        target = f"{day.day} {day:%B %Y}"
    except ValueError:
        target = repair.target
    verb = "should be done by" if repair.status != "closed" else "was due by"
    return street_reports.ReportStatus(
        reference=repair.reference,
        service_name="housing repair",
        status=repair.status,
        status_notes=f"It {verb} {target}.",
    )


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


class StreetReport(CouncilAction):
    """A problem in the street, filed to the council's Open311 endpoint with its location
    when the council maps a service code for its `kind`; otherwise the link answer.

    The kind comes from what was said: a message that names another kind of problem
    (a fallen tree told as a pothole) is handed to that kind's action."""

    kind: ClassVar[str]
    problem: ClassVar[str]  # for the summary: "a fallen tree"
    link: ClassVar[str] = "report_street"
    confirm_response: ClassVar[str] = "utter_confirm_street_report"
    reported_response: ClassVar[str] = "utter_street_report_made"
    correctable = ("report_location", POSTCODE_SLOT)
    draft = ("report_location", "report_description", POSTCODE_SLOT, NEEDS_POINT_SLOT)

    def required_details(self, tracker: Tracker) -> list[str]:
        asked = [POSTCODE_SLOT] if postcode_needed(tracker) else []
        return ["report_location", *asked, CONFIRMATION_SLOT]

    async def before_details(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> list[EventType] | None:
        named = problem_named(tracker.latest_message.get("text"))
        target = report_action_for(named) if named not in (None, self.kind) else None
        if target is not None and tracker.get_slot("report_location") is None:
            return [SlotSet(PENDING_ACTION_SLOT, None), FollowupAction(target)]
        if council_files(council, self.kind):
            return None
        dispatcher.utter_message(
            response=self.response,
            topic_link=council.links.get(self.link) or council.website,
            **council.template_vars(),
        )
        return [SlotSet("report_location", None), SlotSet("report_description", None)]

    async def summary(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> tuple[str, dict[str, Any]] | None:
        return self.confirm_response, {
            "problem": self.problem,
            "location": located(tracker),
            "said": briefly(tracker.get_slot("report_description") or self.problem),
            **council.template_vars(),
        }

    def prefill(self, tracker: Tracker, council: Council) -> list[EventType]:
        text = tracker.latest_message.get("text")
        said = text[:1000] if isinstance(text, str) else None
        events: list[EventType] = [
            SlotSet("report_description", said),
            SlotSet(POSTCODE_SLOT, postcode_in(said)),  # given: not asked again
            SlotSet(NEEDS_POINT_SLOT, None),
        ]
        location = location_in(said)
        if location is not None and tracker.get_slot("report_location") is None:
            events.append(SlotSet("report_location", location))  # not asked again
        return events

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        location = located(tracker)
        said = tracker.get_slot("report_description") or self.problem
        reset: list[EventType] = [SlotSet(slot, None) for slot in self.draft]
        filed = await make_report(
            dispatcher,
            tracker,
            council,
            self.kind,
            f"{said} (reported through the online assistant)",
            address_string=location,
            place=place_in(location, tracker),
        )
        if filed is None:
            return reset
        dispatcher.utter_message(
            response=self.reported_response,
            reference=filed.reference,
            location=location,
            problem=self.problem,
            **council.template_vars(),
        )
        tell_notice(dispatcher, council, filed)
        return [*reset, SlotSet("last_report_ref", filed.reference)]


def report_action_for(kind: str | None) -> str | None:
    """The name of the action that files `kind` reports."""
    _import_all_actions()
    for action_class in all_subclasses(StreetReport):
        if getattr(action_class, "kind", None) == kind and not action_class.__abstractmethods__:
            return action_class().name()
    return None


class ReportPothole(StreetReport):
    """A pothole or damaged road or pavement."""

    response = "utter_report_pothole"
    kind = "pothole"
    problem = "a pothole"
    confirm_response = "utter_confirm_pothole"
    reported_response = "utter_pothole_reported"

    def name(self) -> str:
        return "action_report_pothole"


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
            lambda b: report_or_repair_status(b, reference),
            not_found="utter_report_not_found",
            reference=reference,
        )
        if status is None:
            return reset
        if isinstance(status, RepairStatus):
            status = repair_as_report(status)
        dispatcher.utter_message(
            response=STATUS_RESPONSES.get(status.status, "utter_report_status_open"),
            reference=status.reference,
            service_name=status.service_name,
            status_notes=status.status_notes or "",
            **council.template_vars(),
        )
        return reset


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
        if isinstance(action, StreetReport):
            rerouted = rerouted_report(action, slot_value, dispatcher, tracker)
            if rerouted is not None:
                return rerouted
        text = described(slot_value, max_length=300)
        if text is None:
            dispatcher.utter_message(response="utter_report_location_invalid")
            return {"report_location": None}
        council = current_council(tracker)
        if not isinstance(action, StreetReport) or council is None:
            return {"report_location": text}
        ask = await must_ask_postcode(text, tracker, council, action.kind)
        return {"report_location": text, NEEDS_POINT_SLOT: ask}


def located(tracker: Tracker) -> str:
    """The report's location, with the postcode asked for it when it lacks one."""
    location = str(tracker.get_slot("report_location") or "")
    asked = postcode_in(tracker.get_slot(POSTCODE_SLOT))
    return f"{location}, {asked}" if asked and postcode_in(location) is None else location


def rerouted_report(
    action: StreetReport, said: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any] | None:
    """A reply to "where is it?" that names another kind of problem ("no, it's a fallen
    tree") makes the report that kind: asked where again, or answered with the link when
    the council does not take that kind here. None when it names no other kind."""
    named = problem_named(said)
    target = council_action_named(report_action_for(named)) if named != action.kind else None
    council = current_council(tracker)
    if not isinstance(target, StreetReport) or council is None:
        return None
    location = location_in(said)
    if not council_files(council, target.kind):
        dispatcher.utter_message(
            response=target.response,
            topic_link=council.links.get(target.link) or council.website,
            **council.template_vars(),
        )
        return {**{slot: None for slot in action.draft}, DETAILS_STOPPED_SLOT: True}
    return {
        PENDING_ACTION_SLOT: target.name(),
        "report_description": str(said)[:1000],
        "report_location": location,
    }
