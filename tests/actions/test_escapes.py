"""No dead ends: a way out of every form question, and no question asked three times."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.council import ValidateCouncilForm
from actions.details_form import ValidateDetailsForm
from actions.escapes import ActionEscapeQuestion, answered_before, part_escape, whole_escape
from actions.references import ActionBareReference
from tests.conftest import run

DOMAIN: dict[str, Any] = {
    "forms": {
        "council_form": {"required_slots": ["postcode"]},
        "details_form": {"required_slots": ["planning_ref", "report_ref"]},
    },
    "slots": {},
}


def user(text: str, intent: str = "inform") -> dict[str, Any]:
    parse = {"intent": {"name": intent}, "entities": [], "text": text}
    return {"event": "user", "text": text, "parse_data": parse}


def asked(slot: str) -> dict[str, Any]:
    return {"event": "slot", "name": "requested_slot", "value": slot}


def in_form(form: str, slot: str, answers: list[str], slots: dict[str, Any]) -> Tracker:
    """A form that asked `slot`, was answered with each of `answers` (the last is latest)."""
    events: list[dict[str, Any]] = [user("a request", "planning_status")]
    events += [{"event": "active_loop", "name": form}, asked(slot)]
    for answer in answers[:-1]:
        events += [user(answer), asked(slot)]
    # The answer, as Rasa extracts it for the form's validation.
    events += [user(answers[-1]), {"event": "slot", "name": slot, "value": answers[-1]}]
    return Tracker(
        sender_id="t",
        slots={"requested_slot": slot, slot: answers[-1], **slots},
        latest_message=events[-2]["parse_data"],
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(
    "text",
    ["stop", "Cancel", "I don't know", "dunno", "something else", "never mind", "I don't have it"],
)
def test_whole_escapes(text: str) -> None:
    assert whole_escape(text)


@pytest.mark.parametrize("text", ["outside the bus stop on Mill Lane", "BK/24/0123/FUL", "no"])
def test_answers_are_not_escapes(text: str) -> None:
    assert not whole_escape(text)


def test_part_escapes() -> None:
    assert part_escape("I don't have the reference")
    assert part_escape("can't find my letter")
    assert not part_escape("the tap in the kitchen is dripping")


def planning(answers: list[str]) -> Tracker:
    return in_form(
        "details_form",
        "planning_ref",
        answers,
        {"council": "brackenbury", "pending_action": "action_planning_status"},
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


def test_stop_leads_out_with_the_planning_page(dispatcher: CollectingDispatcher) -> None:
    events = run(ValidateDetailsForm().run(dispatcher, planning(["stop"]), DOMAIN))
    assert responses(dispatcher) == ["utter_escape_details_form_planning_ref"]
    assert "planning.brackenbury" in dispatcher.messages[0]["link_planning"]
    assert SlotSet("requested_slot", None) in events
    assert SlotSet("details_stopped", True) in events


def test_i_dont_have_the_reference_leads_out(dispatcher: CollectingDispatcher) -> None:
    run(ValidateDetailsForm().run(dispatcher, planning(["I don't have the reference"]), DOMAIN))
    assert responses(dispatcher) == ["utter_escape_details_form_planning_ref"]


def test_one_wrong_answer_is_asked_again(dispatcher: CollectingDispatcher) -> None:
    events = run(ValidateDetailsForm().run(dispatcher, planning(["12345"]), DOMAIN))
    assert responses(dispatcher) == ["utter_planning_ref_invalid"]
    assert SlotSet("details_stopped", True) not in events


def test_a_second_wrong_answer_running_leads_out(dispatcher: CollectingDispatcher) -> None:
    tracker = planning(["12345", "54321"])
    assert answered_before(tracker, "details_form", "planning_ref") == 1
    events = run(ValidateDetailsForm().run(dispatcher, tracker, DOMAIN))
    assert responses(dispatcher) == ["utter_escape_details_form_planning_ref"]
    assert SlotSet("requested_slot", None) in events


def test_no_postcode_leads_to_finding_the_council(dispatcher: CollectingDispatcher) -> None:
    tracker = in_form("council_form", "postcode", ["I don't know my postcode"], {})
    events = run(ValidateCouncilForm().run(dispatcher, tracker, DOMAIN))
    assert responses(dispatcher) == ["utter_escape_council_form_postcode"]
    assert SlotSet("requested_slot", None) in events


def test_no_to_a_question_gets_its_alternative(dispatcher: CollectingDispatcher) -> None:
    tracker = planning(["no"])
    run(ActionEscapeQuestion().run(dispatcher, tracker, DOMAIN))
    assert responses(dispatcher) == ["utter_escape_details_form_planning_ref"]


def bare(text: str, entities: list[dict[str, Any]] | None = None) -> Tracker:
    parse = {"intent": {"name": "inform"}, "entities": entities or [], "text": text}
    return Tracker("t", {}, parse, [], False, None, {}, "action_listen")


def test_a_bare_report_reference_gets_its_status(dispatcher: CollectingDispatcher) -> None:
    events = run(ActionBareReference().run(dispatcher, bare("BKR100001"), DOMAIN))
    assert SlotSet("report_ref", "BKR100001") in events
    assert events[-1]["name"] == "action_report_status"


def test_a_bare_planning_reference_gets_its_status(dispatcher: CollectingDispatcher) -> None:
    found = [{"entity": "planning_ref", "value": "BK/24/0123/FUL"}]
    events = run(ActionBareReference().run(dispatcher, bare("BK/24/0123/FUL", found), DOMAIN))
    assert events[-1]["name"] == "action_planning_status"


def test_a_detail_that_is_no_reference_asks_what_help(dispatcher: CollectingDispatcher) -> None:
    assert run(ActionBareReference().run(dispatcher, bare("42"), DOMAIN)) == []
    assert responses(dispatcher) == ["utter_ask_what_help"]


def test_i_havent_got_it_understood_as_goodbye_still_leads_out(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = planning(["I haven't got it"])
    tracker.latest_message["intent"] = {"name": "goodbye"}
    run(ActionEscapeQuestion().run(dispatcher, tracker, DOMAIN))
    assert responses(dispatcher) == ["utter_escape_details_form_planning_ref"]


def test_goodbye_in_a_form_is_goodbye(dispatcher: CollectingDispatcher) -> None:
    tracker = planning(["bye"])
    tracker.latest_message["intent"] = {"name": "goodbye"}
    run(ActionEscapeQuestion().run(dispatcher, tracker, DOMAIN))
    assert responses(dispatcher) == ["utter_goodbye"]


def test_every_form_question_has_its_way_out() -> None:
    import yaml

    from actions.escapes import ESCAPE_RESPONSES
    from assistant.settings import PROJECT_ROOT

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    for form, spec in domain["forms"].items():
        for slot in spec["required_slots"]:
            assert ESCAPE_RESPONSES[(form, slot)] in domain["responses"]


def test_the_answer_to_the_question_before_is_not_counted() -> None:
    # The postcode was answered, then the address asked: one answer to it so far.
    tracker = in_form("details_form", "postcode", ["BK1 2AB", "99"], {})
    tracker.events.insert(-2, asked("address"))
    assert answered_before(tracker, "details_form", "address") == 0
    assert answered_before(tracker, "details_form", "postcode") == 1
