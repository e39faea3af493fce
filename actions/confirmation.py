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
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CONFIRMATION_SLOT, DETAILS_STOPPED_SLOT, CouncilAction, current_council
from actions.details import DetailsValidation, pending_action

SAID_LIMIT = 80
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
