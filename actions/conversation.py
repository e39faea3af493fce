"""Conversation-level actions: greeting, fallback, out of scope, talking to a person."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import COUNCIL_FORM, PENDING_ACTION_SLOT, CouncilAction, current_council
from actions.crisis import likely_safety_intent, say_safety

FALLBACK_INTENT = "nlu_fallback"


class ActionGreet(Action):
    """Greets by the council's name when the conversation has one."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        council = current_council(tracker)
        if council is None:
            dispatcher.utter_message(response="utter_greet")
        else:
            dispatcher.utter_message(response="utter_greet_council", **council.template_vars())
        return []


class ActionFallback(Action):
    """Two-stage fallback: first ask to rephrase, then offer the menu or a person.
    A message that may be a crisis or an emergency gets that answer instead, never
    "I didn't understand"."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        safety = likely_safety_intent(tracker)
        if safety is not None:
            say_safety(dispatcher, tracker, safety)
            dispatcher.utter_message(response="utter_crisis_check")
        elif _previous_user_intent(tracker) == FALLBACK_INTENT:
            dispatcher.utter_message(response="utter_fallback_menu")
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []


class ActionOutOfScope(Action):
    """Not a council service: say so, unless it may be a crisis or an emergency,
    which gets that answer instead of "I can only help with council services"."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        safety = likely_safety_intent(tracker)
        if safety is not None:
            say_safety(dispatcher, tracker, safety)
            dispatcher.utter_message(response="utter_crisis_check")
        else:
            dispatcher.utter_message(response="utter_out_of_scope")
        return []


class ActionHumanHandoff(CouncilAction):
    """How to reach a person at the council."""

    response = "utter_human_handoff"

    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if current_council(tracker) is None and tracker.active_loop_name == COUNCIL_FORM:
            # Asked for a person while asked the postcode (no dead end, issue 9): where
            # to find any council, and the postcode question stays open for its number.
            dispatcher.utter_message(response="utter_human_handoff_no_council")
            return [SlotSet(PENDING_ACTION_SLOT, self.name()), FollowupAction(COUNCIL_FORM)]
        return await super().run(dispatcher, tracker, domain)


def _previous_user_intent(tracker: Tracker) -> str | None:
    """The intent of the resident's message before the latest one."""
    user_events = [event for event in tracker.events if event.get("event") == "user"]
    if len(user_events) < 2:
        return None
    intent = (user_events[-2].get("parse_data") or {}).get("intent") or {}
    return intent.get("name")
