"""Planning applications."""

from __future__ import annotations

import asyncio
import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CouncilAction, council_backoffice, latest_entity, say_unavailable
from assistant.backoffice.errors import BackOfficeError, NotFound
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
        return [SlotSet("planning_ref", latest_entity(tracker, "planning_ref"))]

    async def before_details(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, council: Council
    ) -> list[EventType] | None:
        given = latest_entity(tracker, "planning_ref")
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
        try:
            application = await asyncio.to_thread(
                council_backoffice(council).planning.application, reference
            )
        except NotFound:
            dispatcher.utter_message(
                response="utter_planning_not_found", reference=reference, **council.template_vars()
            )
            return reset
        except BackOfficeError:
            say_unavailable(dispatcher, council)
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
