"""Nothing is filed, booked or paid without the resident's yes (issue 9, item 3).

An action that writes to a back-office lists CONFIRMATION_SLOT last in its
`required_details`, so details_form ends with `action_ask_confirmation`: the
action's one-line `summary` with Yes/No buttons. "Yes" lets the action run; "no"
clears its `correctable` details to be asked again (or cancels when it has none);
"cancel" files nothing and says so.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CONFIRMATION_SLOT, DETAILS_STOPPED_SLOT, CouncilAction, current_council
from actions.details import DetailsValidation, pending_action

SAID_LIMIT = 80
# Free-text details where a resident may type another request instead of an answer.
FREE_TEXT_DETAILS = ("report_location", "repair_description")
# Requests answered by `action_<intent>`; a message classified as one of them that reads
# as a question or a request is that request, not the detail asked for.
REQUEST_INTENTS = frozenset(
    """council_tax_pay council_tax_balance council_tax_discount council_tax_move
    bin_collection_day bin_missed bulky_waste report_pothole report_fly_tipping
    report_street_light report_status planning_status planning_comment housing_repair
    parking_permit parking_fine register_to_vote register_birth register_death
    library_info noise_nuisance pest_control antisocial_behaviour benefits blue_badge
    school_admissions housing_application adult_social_care childrens_services business_rates
    report_abandoned_vehicle report_dog_fouling report_graffiti report_tree report_blocked_drain
    complaint""".split()
)
_ASKING = re.compile(
    r"\?\s*$|^\W*((actually|sorry|oh|ok(ay)?|and|but|also|wait|hang on|hmm)\W+)*"
    r"(what|when|which|how|why|can|could|would|will|is|are|do|does|i want|i need|i'd like"
    r"|tell me|please)\b",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"^\W*(no,?\s+)?(please\s+)?(cancel|stop|forget (it|that)|never ?mind|don'?t (bother|send"
    r"|report|book|pay)[\w ]*|leave it)\b",
    re.IGNORECASE,
)


def is_cancel(text: Any) -> bool:
    """Whether the resident asked to cancel ("cancel", "stop", "forget it"...)."""
    return isinstance(text, str) and _CANCEL.match(text.strip()) is not None


def briefly(text: Any, limit: int = SAID_LIMIT) -> str:
    """The resident's words for a one-line summary: whitespace collapsed, cut at a
    word within `limit` characters."""
    words = " ".join(str(text or "").split()).replace('"', "'")
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0] + "..."


def cancelled(dispatcher: CollectingDispatcher, action: CouncilAction) -> dict[str, Any]:
    """Cancel the pending write: say so, clear its draft, stop asking."""
    dispatcher.utter_message(response="utter_confirm_cancelled")
    return {
        **{slot: None for slot in action.draft},
        CONFIRMATION_SLOT: None,
        DETAILS_STOPPED_SLOT: True,
    }


class AskConfirmation(Action):
    """details_form's question for CONFIRMATION_SLOT: the pending action's summary."""

    def name(self) -> str:
        return "action_ask_confirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        action = pending_action(tracker)
        council = current_council(tracker)
        found = None
        if action is not None and council is not None:
            found = await action.summary(dispatcher, tracker, council)
        if found is None:
            # Nothing to confirm (and the resident has been told): ask nothing more.
            return [SlotSet(DETAILS_STOPPED_SLOT, True)]
        response, values = found
        dispatcher.utter_message(response=response, **values)
        return []


class ConfirmationDetails(DetailsValidation):
    """`details_form`: the resident's answer to the summary."""

    async def validate_confirmation(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        action = pending_action(tracker)
        if action is None or not self.needed(tracker, CONFIRMATION_SLOT):
            return {CONFIRMATION_SLOT: slot_value}
        if is_cancel(tracker.latest_message.get("text")):
            return cancelled(dispatcher, action)
        if slot_value == "yes":
            return {CONFIRMATION_SLOT: "yes"}
        if slot_value == "no":
            if not action.correctable:
                return cancelled(dispatcher, action)
            dispatcher.utter_message(response="utter_confirm_correct")
            return {CONFIRMATION_SLOT: None, **{slot: None for slot in action.correctable}}
        dispatcher.utter_message(response="utter_confirm_yes_or_no")
        return {CONFIRMATION_SLOT: None}


def another_request(tracker: Tracker) -> str | None:
    """The action for another request typed at a free-text details question
    ("actually what is my bin day" at "Where is it?"), or None."""
    asked = tracker.get_slot("requested_slot")
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    action = pending_action(tracker)
    if asked not in FREE_TEXT_DETAILS or intent not in REQUEST_INTENTS or action is None:
        return None
    if action.name() == f"action_{intent}":
        return None  # "by the school on Park Road" may read as the report itself
    text = tracker.latest_message.get("text")
    if not isinstance(text, str) or _ASKING.search(text.strip()) is None:
        return None
    return f"action_{intent}"


class AnotherRequest(DetailsValidation):
    """`details_form`: another request typed at a free-text question is answered
    instead (a follow-up), and not taken as the detail; the pending one is dropped."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        switch = another_request(tracker)
        if switch is None:
            return await super().get_validation_events(dispatcher, tracker, domain)
        asked = tracker.get_slot("requested_slot")
        return [SlotSet(asked, None), SlotSet(DETAILS_STOPPED_SLOT, True), FollowupAction(switch)]
