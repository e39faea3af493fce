"""No dead ends (issue 9, item 5): a way out of every form question.

"I don't have it", "I don't know", "stop", "cancel", "something else" answered to a
question, or a second wrong answer in a row, end the question with a useful
alternative for that question (`utter_escape_<form>_<slot>` in domain.yml, with the
council's own links and phone), so no question is asked more than twice running.
The phrases and the alternatives are data, in actions/escapes.yml.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import DETAILS_STOPPED_SLOT, PENDING_ACTION_SLOT, current_council

REQUESTED_SLOT = "requested_slot"

ESCAPES_FILE = Path(__file__).with_name("escapes.yml")


@functools.cache
def _escapes() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ESCAPES_FILE.read_text(encoding="utf-8"))
    return data


@functools.cache
def _whole_escape() -> re.Pattern[str]:
    data = _escapes()
    choices = "|".join(data["whole"])
    before, after = data["whole_before"], data["whole_after"]
    return re.compile(rf"({before})?({choices})({after})*\W*", re.IGNORECASE)


@functools.cache
def _part_escape() -> re.Pattern[str]:
    return re.compile(rf"\b({'|'.join(_escapes()['part'])})\b", re.IGNORECASE)


def whole_escape(text: str) -> bool:
    """The answer is nothing but "stop", "cancel", "I don't know"..."""
    return _whole_escape().fullmatch(" ".join(text.split())) is not None


def part_escape(text: str) -> bool:
    """The answer says the resident hasn't got or doesn't know what was asked."""
    return whole_escape(text) or _part_escape().search(text) is not None


# The alternative for each question, by (form, requested slot), from escapes.yml.
ESCAPE_RESPONSES: dict[tuple[str, str], str] = {
    (form, slot): response
    for form, slots in _escapes()["responses"].items()
    for slot, response in slots.items()
}
# Questions whose own validation reads "cancel", "stop"... (never intercepted here).
SELF_ANSWERED = frozenset({"confirmation"})


def escape_response(form: str | None, slot: str | None) -> str:
    """The alternative for one question (a general one for a question not listed)."""
    return ESCAPE_RESPONSES.get((form or "", slot or ""), "utter_escape_question")


def offer_alternative(
    dispatcher: CollectingDispatcher, tracker: Tracker, form: str | None, slot: str | None
) -> None:
    """Tells the resident where else to go for what this question was for."""
    council = current_council(tracker)
    values = council.template_vars() if council is not None else {}
    dispatcher.utter_message(response=escape_response(form, slot), **values)


def _user_event_index(events: list[dict[str, Any]]) -> int | None:
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return index
    return None


def answered_before(tracker: Tracker, form: str, slot: str) -> int:
    """How many answers in a row before the latest one went to this same question of
    `form` (an answer belongs to the question asked just before it)."""
    events = list(tracker.events)
    latest = _user_event_index(events)
    answers = 0
    asking: str | None = None
    for event in events[:latest]:
        kind = event.get("event")
        if kind == "active_loop":
            asking = None
            answers = 0 if event.get("name") != form else answers
        elif kind == "slot" and event.get("name") == REQUESTED_SLOT:
            asking = event.get("value")
        elif kind == "user":
            answers = answers + 1 if asking == slot else 0
    return answers


def was_asked(tracker: Tracker, form: str) -> bool:
    """Whether the latest message answers a question `form` had asked (the form was
    active before it), rather than the request that started the form."""
    events = list(tracker.events)
    latest = _user_event_index(events)
    if latest is None:
        return False
    for event in reversed(events[:latest]):
        if event.get("event") == "active_loop":
            return bool(event.get("name") == form)
    return False


def stop_events(slot: str) -> list[EventType]:
    """Ends the question: the form completes with nothing more to ask, and the
    pending request knows the resident was already answered."""
    return [SlotSet(slot, None), SlotSet(DETAILS_STOPPED_SLOT, True), SlotSet(REQUESTED_SLOT, None)]


def rejected(events: list[EventType], slot: str) -> bool:
    """The answer to `slot` was refused by its validation (and nothing stopped)."""
    value: Any = "unset"
    for event in events:
        if event.get("event") != "slot":
            continue
        if event.get("name") == DETAILS_STOPPED_SLOT and event.get("value"):
            return False
        if event.get("name") == slot:
            value = event.get("value")
    return value is None


class EscapableForm:
    """Mixin for a form's validation action (before `FormValidationAction`): a way
    out at every question, and no question asked more than twice running."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        form: str = self.form_name()  # type: ignore[attr-defined]
        slot = tracker.get_slot(REQUESTED_SLOT)
        text = str(tracker.latest_message.get("text") or "")
        if slot in SELF_ANSWERED:
            return await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
        asked = bool(slot) and was_asked(tracker, form)
        if asked and whole_escape(text):
            offer_alternative(dispatcher, tracker, form, slot)
            return stop_events(slot)
        before = len(dispatcher.messages)
        events: list[EventType] = await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
        if not asked or not rejected(events, slot):
            return events
        if part_escape(text) or answered_before(tracker, form, slot) >= 1:
            del dispatcher.messages[before:]
            offer_alternative(dispatcher, tracker, form, slot)
            return stop_events(slot)
        return events


class ActionEscapeQuestion(Action):
    """The resident said no to the question (`deny`), or goodbye: the alternative for
    that question (or goodbye, if that is all it was), before the form is let go."""

    def name(self) -> str:
        return "action_escape_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(tracker.latest_message.get("text") or "")
        if intent == "goodbye" and not part_escape(text):
            dispatcher.utter_message(response="utter_goodbye")
        else:
            offer_alternative(
                dispatcher, tracker, tracker.active_loop_name, tracker.get_slot(REQUESTED_SLOT)
            )
        return [SlotSet(PENDING_ACTION_SLOT, None), SlotSet(DETAILS_STOPPED_SLOT, None)]
