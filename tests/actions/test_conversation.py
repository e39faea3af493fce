"""Greeting, emergencies and the two-stage fallback."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionEmergency, ActionFallback, ActionGreet
from tests.conftest import make_tracker, run


def test_emergency_gives_the_councils_out_of_hours_line(dispatcher: CollectingDispatcher) -> None:
    run(ActionEmergency().run(dispatcher, make_tracker(slots={"council": "brackenbury"}), {}))
    [message] = dispatcher.messages
    assert message["response"] == "utter_emergency"
    assert message["council_out_of_hours_phone"] == "01632 960 999"


def test_emergency_without_a_council_never_asks_first(dispatcher: CollectingDispatcher) -> None:
    events = run(ActionEmergency().run(dispatcher, make_tracker(), {}))
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_emergency_no_council"]


def test_fallback_first_asks_to_rephrase(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(intent="nlu_fallback", previous_intents=["greet"])
    run(ActionFallback().run(dispatcher, tracker, {}))
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"


def test_fallback_twice_in_a_row_offers_the_menu(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(intent="nlu_fallback", previous_intents=["nlu_fallback"])
    run(ActionFallback().run(dispatcher, tracker, {}))
    assert dispatcher.messages[0]["response"] == "utter_fallback_menu"


def test_greeting_names_the_council_when_known(dispatcher: CollectingDispatcher) -> None:
    run(ActionGreet().run(dispatcher, make_tracker(slots={"council": "millbrook"}), {}))
    assert dispatcher.messages[0]["response"] == "utter_greet_council"
    assert dispatcher.messages[0]["council_name"] == "Millbrook District Council"
    plain = CollectingDispatcher()
    run(ActionGreet().run(plain, make_tracker(), {}))
    assert plain.messages[0]["response"] == "utter_greet"


def fallback_with_ranking(ranking: list[tuple[str, float]]):
    tracker = make_tracker(intent="nlu_fallback", previous_intents=["greet"])
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    return tracker


def test_a_possible_emergency_gets_999_before_the_rephrase_question(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = fallback_with_ranking(
        [("nlu_fallback", 0.4), ("emergency", 0.34), ("report_pothole", 0.28)]
    )
    run(ActionFallback().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_emergency_no_council",
        "utter_ask_rephrase",
    ]


@pytest.mark.parametrize(
    "ranking",
    [
        [("nlu_fallback", 0.4), ("emergency", 0.1), ("bulky_waste", 0.09)],  # too unlikely
        [("nlu_fallback", 0.4), ("a", 0.3), ("b", 0.25), ("emergency", 0.21)],  # ranked 4th
        [],
    ],
)
def test_an_unlikely_emergency_just_asks_to_rephrase(
    dispatcher: CollectingDispatcher, ranking: list[tuple[str, float]]
) -> None:
    run(ActionFallback().run(dispatcher, fallback_with_ranking(ranking), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_rephrase"]
