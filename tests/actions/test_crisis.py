"""Crisis and emergency answers: safety first, the right lines, gas only for gas."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import ANSWERS, ActionCrisis, ActionEmergency, safety_intents, safety_response
from tests.conftest import make_tracker, run

CRISES = [
    "crisis_domestic_abuse",
    "crisis_suicide",
    "crisis_homeless",
    "crisis_child_at_risk",
    "crisis_adult_at_risk",
]


@pytest.mark.parametrize("intent", CRISES)
def test_each_crisis_gets_its_own_answer_with_the_councils_lines(
    dispatcher: CollectingDispatcher, intent: str
) -> None:
    tracker = make_tracker(slots={"council": "brackenbury"}, intent=intent, text="help")
    assert run(ActionCrisis().run(dispatcher, tracker, {})) == []
    [message] = dispatcher.messages
    assert message["response"] == f"utter_{intent}"
    assert message["crisis_children_out_of_hours_phone"] == "01632 960 151"
    assert message["crisis_homelessness_phone"] == "01632 960 140"


@pytest.mark.parametrize("intent", CRISES)
def test_a_crisis_before_the_council_is_known_never_asks_first(
    dispatcher: CollectingDispatcher, intent: str
) -> None:
    events = run(ActionCrisis().run(dispatcher, make_tracker(intent=intent), {}))
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == [f"utter_{intent}_no_council"]


def test_gas_gets_the_gas_line(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(slots={"council": "brackenbury"}, intent="emergency", text="I smell gas")
    run(ActionEmergency().run(dispatcher, tracker, {}))
    [message] = dispatcher.messages
    assert message["response"] == "utter_emergency_gas"
    assert message["council_out_of_hours_phone"] == "01632 960 999"


@pytest.mark.parametrize(
    ("intent", "text", "council", "response"),
    [
        ("emergency", "the flat is on fire", True, "utter_emergency"),
        ("emergency", "someone collapsed", False, "utter_emergency_no_council"),
        ("emergency", "CO alarm going off", False, "utter_emergency_gas_no_council"),
        ("crisis_suicide", "gas", True, "utter_crisis_suicide"),
    ],
)
def test_the_gas_answer_is_only_for_gas(
    intent: str, text: str, council: bool, response: str
) -> None:
    assert safety_response(intent, text, council) == response


def test_every_safety_route_has_an_answer() -> None:
    assert set(safety_intents()) <= set(ANSWERS)
    assert set(CRISES) <= set(safety_intents())
