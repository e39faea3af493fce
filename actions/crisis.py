"""Crisis and emergency answers: safety first, at once, never a question first.

Which intents are safety routes is data (assistant/safety/phrases.yml); ANSWERS
says what each one answers, with the council known and before it is. An
`emergency` about gas gets the gas emergency line; no other message does.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import current_council
from assistant.safety.phrases import default_phrases

EMERGENCY_INTENT = "emergency"
GAS = "emergency_gas"
# Each safety route's answer: (the council known, no council yet).
ANSWERS: dict[str, tuple[str, str]] = {
    "crisis_domestic_abuse": (
        "utter_crisis_domestic_abuse",
        "utter_crisis_domestic_abuse_no_council",
    ),
    "crisis_suicide": ("utter_crisis_suicide", "utter_crisis_suicide_no_council"),
    "crisis_homeless": ("utter_crisis_homeless", "utter_crisis_homeless_no_council"),
    "crisis_child_at_risk": (
        "utter_crisis_child_at_risk",
        "utter_crisis_child_at_risk_no_council",
    ),
    "crisis_adult_at_risk": (
        "utter_crisis_adult_at_risk",
        "utter_crisis_adult_at_risk_no_council",
    ),
    EMERGENCY_INTENT: ("utter_emergency", "utter_emergency_no_council"),
    GAS: ("utter_emergency_gas", "utter_emergency_gas_no_council"),
}
# When a message is not understood (or taken as out of scope) but a safety intent is
# among its likeliest readings with at least this confidence, the resident gets that
# safety answer: a wrong mention of 999 costs a line, a missed crisis can cost a life.
SAFETY_HINT_CONFIDENCE = 0.2
SAFETY_HINT_RANK = 3


def safety_intents() -> list[str]:
    """The crisis and emergency intents, in priority order."""
    return default_phrases().intents()


def safety_response(intent: str, text: str | None, has_council: bool) -> str:
    """The response that answers safety `intent` for a message `text`."""
    if intent == EMERGENCY_INTENT and default_phrases().mentions_gas(text):
        intent = GAS
    with_council, without = ANSWERS.get(intent, ANSWERS[EMERGENCY_INTENT])
    return with_council if has_council else without


def say_safety(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> None:
    """The safety answer for `intent`, with the council's lines when it is known."""
    council = current_council(tracker)
    text = tracker.latest_message.get("text")
    response = safety_response(intent, text, council is not None)
    values = council.template_vars() if council is not None else {}
    dispatcher.utter_message(response=response, **values)


def likely_safety_intent(tracker: Tracker) -> str | None:
    """A safety intent that is a likely reading of the latest message, or None."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    routes = set(safety_intents())
    for entry in ranking[:SAFETY_HINT_RANK]:
        name = entry.get("name")
        if name in routes and float(entry.get("confidence") or 0.0) >= SAFETY_HINT_CONFIDENCE:
            return str(name)
    return None


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the resident's latest message."""
    intent = tracker.latest_message.get("intent") or {}
    name = intent.get("name")
    return name if isinstance(name, str) else None


class ActionEmergency(Action):
    """Danger to life: 999 and the out-of-hours line at once (the gas line for gas)."""

    def name(self) -> str:
        return "action_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say_safety(dispatcher, tracker, EMERGENCY_INTENT)
        return []


class ActionCrisis(Action):
    """A crisis (abuse, suicide, homelessness, a child or adult at risk): its answer."""

    def name(self) -> str:
        return "action_crisis"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        if intent not in safety_intents():
            intent = likely_safety_intent(tracker) or EMERGENCY_INTENT
        say_safety(dispatcher, tracker, intent)
        return []
