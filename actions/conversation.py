"""Conversation-level actions: greeting, emergencies, fallback, talking to a person."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CouncilAction, current_council

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


class ActionEmergency(Action):
    """Danger to life: 999 and the out-of-hours line at once, never a question first."""

    def name(self) -> str:
        return "action_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        council = current_council(tracker)
        if council is None:
            dispatcher.utter_message(response="utter_emergency_no_council")
        else:
            dispatcher.utter_message(response="utter_emergency", **council.template_vars())
        return []


class ActionFallback(Action):
    """Two-stage fallback: first ask to rephrase, then offer the menu or a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if _previous_user_intent(tracker) == FALLBACK_INTENT:
            dispatcher.utter_message(response="utter_fallback_menu")
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []


class ActionHumanHandoff(CouncilAction):
    """How to reach a person at the council."""

    response = "utter_human_handoff"

    def name(self) -> str:
        return "action_human_handoff"


def _previous_user_intent(tracker: Tracker) -> str | None:
    """The intent of the resident's message before the latest one."""
    user_events = [event for event in tracker.events if event.get("event") == "user"]
    if len(user_events) < 2:
        return None
    intent = (user_events[-2].get("parse_data") or {}).get("intent") or {}
    return intent.get("name")
