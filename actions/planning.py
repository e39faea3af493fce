"""Planning applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice_call import backoffice_call
from actions.base import CouncilAction, latest_entity
from actions.details import DetailsValidation
from assistant.councils import Council


def long_date(date: dt.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else "not set yet"


class PlanningStatus(CouncilAction):
    """Where a planning application has got to, by its reference."""

    response = "utter_planning_status"

    def name(self) -> str:
        return "action_planning_status"

    def required_details(self, tracker: Tracker) -> list[str]:
        return ["planning_ref"]

    def prefill(self, tracker: Tracker, council: Council) -> list[EventType]:
        given = latest_entity(tracker, "planning_ref") or tracker.get_slot("planning_ref")
        return [SlotSet("planning_ref", given)]

    async def before_details(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> list[EventType] | None:
        # Typed now, or kept while the council was found (a bare reference).
        given = latest_entity(tracker, "planning_ref") or tracker.get_slot("planning_ref")
        if given is not None and council.reference_matches("planning", given):
            return await self._status(dispatcher, council, given)
        return None

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        return await self._status(dispatcher, council, tracker.get_slot("planning_ref"))

    async def _status(
        self, dispatcher: CollectingDispatcher, council: Council, reference: str
    ) -> list[EventType]:
        reset: list[EventType] = [SlotSet("planning_ref", None)]
        application = await backoffice_call(
            dispatcher,
            council,
            lambda b: b.planning.application(reference),
            not_found="utter_planning_not_found",
            reference=reference,
        )
        if application is None:
            return reset
        decided = application.decision_date is not None
        dispatcher.utter_message(
            response="utter_planning_decided" if decided else "utter_planning_pending",
            reference=application.reference,
            address=application.address,
            proposal=application.proposal,
            status=application.status,
            decision_date=long_date(application.decision_date),
            target_date=long_date(application.target_date),
            **council.template_vars(),
        )
        return reset


class PlanningComment(CouncilAction):
    """Supporting or objecting to an application."""

    response = "utter_planning_comment"

    def name(self) -> str:
        return "action_planning_comment"


class PlanningDetails(DetailsValidation):
    """`details_form`: a planning reference in the council's own format."""

    async def validate_planning_ref(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self.council_reference(
            "planning_ref", "utter_planning_ref_invalid", slot_value, dispatcher, tracker
        )
