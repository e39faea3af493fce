"""A bare reference, typed with nothing else (issue 9, item 5): its status.

"BKR100001" or "BK/24/0123/FUL" on their own are understood as the `inform` intent
with no question pending; instead of "What can I help you with?", the reference's
own status action answers (asking for the council's postcode first if need be).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import latest_entity
from actions.streets import report_ref_in


def reference_action(tracker: Tracker) -> list[EventType] | None:
    """The status action for the reference in the latest message, with its slot."""
    if latest_entity(tracker, "pcn") is not None:
        return [FollowupAction("action_parking_fine")]
    planning = latest_entity(tracker, "planning_ref")
    if planning is not None:
        return [SlotSet("planning_ref", planning), FollowupAction("action_planning_status")]
    report = report_ref_in(tracker.latest_message.get("text"), numeric=False)
    if report is not None:
        return [SlotSet("report_ref", report), FollowupAction("action_report_status")]
    return None


class ActionBareReference(Action):
    """A detail given with no question pending: a reference gets its status, anything
    else the question of what the resident needs."""

    def name(self) -> str:
        return "action_bare_reference"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = reference_action(tracker)
        if events is None:
            dispatcher.utter_message(response="utter_ask_what_help")
            return []
        return events
