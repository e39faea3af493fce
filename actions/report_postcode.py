"""The postcode of a reported street problem, asked before the summary when needed.

Some councils' Open311 services refuse a report without a map point (their service
definition requires easting/northing or latitude/longitude, which we take from the
postcode data). When the location is validated, the serving council's definition is
read; if it needs a point and no postcode is known yet (in the location, asked
before, or the conversation's), `details_form` asks for one before the summary. When
the definition cannot be read, nothing is asked: the write after the resident's yes
then says what to do, as before.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice_call import BackOfficeUnreachable, council_backoffice, total_deadline
from actions.details import DetailsValidation, postcode_answer
from assistant.backoffice.deadline import call_within
from assistant.backoffice.errors import BackOfficeError
from assistant.backoffice.registry import BackOffice
from assistant.councils import Council
from assistant.identifiers import postcode_in
from assistant.postcodes import Place, PostcodeServiceError, default_lookup

log = logging.getLogger(__name__)

POSTCODE_SLOT = "report_postcode"
NEEDS_POINT_SLOT = "report_needs_point"


def known_postcode(location: Any, tracker: Tracker) -> str | None:
    """The postcode in the location, else the one asked for the report, else the
    conversation's."""
    return (
        postcode_in(location)
        or postcode_in(tracker.get_slot(POSTCODE_SLOT))
        or postcode_in(tracker.get_slot("postcode"))
    )


def place_in(location: Any, tracker: Tracker) -> Place | None:
    """The postcode data's place for the known postcode, for its coordinates; None
    when there is none."""
    postcode = known_postcode(location, tracker)
    if postcode is None:
        return None
    try:
        place = default_lookup().find(postcode)
    except PostcodeServiceError:
        return None
    return place if place is not None and not place.terminated else None


async def point_needed(council: Council, kind: str) -> bool:
    """Whether the council's service for `kind` reports needs a map point; False
    when the service definition cannot be read (the write will say what to do)."""

    def ask(backoffice: BackOffice) -> bool:
        code = backoffice.report_codes.get(kind)
        return code is not None and backoffice.street_reports.needs_point(code)

    try:
        return await call_within(total_deadline(council), ask, council_backoffice(council))
    except (BackOfficeError, BackOfficeUnreachable) as error:
        log.warning("%s service definition not read: %s", council.id, type(error).__name__)
        return False


async def must_ask_postcode(location: str, tracker: Tracker, council: Council, kind: str) -> bool:
    """Whether the postcode must be asked for a report of `kind` at `location`."""
    if known_postcode(location, tracker) is not None:
        return False
    return await point_needed(council, kind)


def postcode_needed(tracker: Tracker) -> bool:
    """Whether `details_form` asks the problem's postcode (set with the location)."""
    return bool(tracker.get_slot(NEEDS_POINT_SLOT))


class ReportPostcodeDetails(DetailsValidation):
    """`details_form`: the postcode where the problem is, found in the postcode data."""

    async def validate_report_postcode(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        council = self.council_for(tracker, POSTCODE_SLOT, slot_value)
        if isinstance(council, dict):
            return council
        postcode = postcode_answer(dispatcher, POSTCODE_SLOT, slot_value)
        if isinstance(postcode, dict):
            return postcode
        try:
            place = default_lookup().find(postcode)
        except PostcodeServiceError:
            return {POSTCODE_SLOT: postcode}  # cannot check now: the write will say
        if place is None or place.terminated:
            dispatcher.utter_message(
                response="utter_report_postcode_unknown",
                postcode=postcode,
                **council.template_vars(),
            )
            return {POSTCODE_SLOT: None}
        return {POSTCODE_SLOT: postcode}
