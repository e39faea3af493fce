"""Conversation-level actions: greeting, emergencies, fallback, talking to a person."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CouncilAction, current_council

FALLBACK_INTENT = "nlu_fallback"
EMERGENCY_INTENT = "emergency"
# When a message is not understood but `emergency` is among its likeliest intents
# with at least this confidence, the resident is told about 999 before anything
# else: a wrong mention of 999 costs a line, a missed emergency can cost a life.
EMERGENCY_HINT_CONFIDENCE = 0.2
EMERGENCY_HINT_RANK = 3


def say_emergency(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """999, the gas emergency line and the council's out-of-hours line (if known)."""
    council = current_council(tracker)
    if council is None:
        dispatcher.utter_message(response="utter_emergency_no_council")
    else:
        dispatcher.utter_message(response="utter_emergency", **council.template_vars())


def emergency_possible(tracker: Tracker) -> bool:
    """True when `emergency` is a likely reading of a message that was not understood."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    return any(
        entry.get("name") == EMERGENCY_INTENT
        and float(entry.get("confidence") or 0.0) >= EMERGENCY_HINT_CONFIDENCE
        for entry in ranking[:EMERGENCY_HINT_RANK]
    )


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
        say_emergency(dispatcher, tracker)
        return []


class ActionFallback(Action):
    """Two-stage fallback: first ask to rephrase, then offer the menu or a person.
    A message that may be an emergency gets the emergency answer first."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if emergency_possible(tracker):
            say_emergency(dispatcher, tracker)
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
