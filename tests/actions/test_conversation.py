"""Greeting, emergencies, out of scope and the two-stage fallback."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionFallback, ActionGreet, ActionOutOfScope
from actions.crisis import ActionEmergency
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


def test_a_possible_emergency_gets_999_and_never_i_did_not_understand(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = fallback_with_ranking(
        [("nlu_fallback", 0.4), ("emergency", 0.34), ("report_pothole", 0.28)]
    )
    run(ActionFallback().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_emergency_no_council",
        "utter_crisis_check",
    ]


def test_a_possible_crisis_gets_its_answer_not_a_rephrase_question(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = fallback_with_ranking(
        [("nlu_fallback", 0.4), ("crisis_homeless", 0.3), ("emergency", 0.25)]
    )
    tracker.slots["council"] = "millbrook"
    tracker.latest_message["text"] = "nowhere to kip"
    run(ActionFallback().run(dispatcher, tracker, {}))
    first, second = dispatcher.messages
    assert first["response"] == "utter_crisis_homeless"
    assert first["crisis_homelessness_out_of_hours_phone"] == "01632 960 549"
    assert second["response"] == "utter_crisis_check"


def out_of_scope_with_ranking(ranking: list[tuple[str, float]]):
    tracker = fallback_with_ranking(ranking)
    tracker.latest_message["intent"] = {"name": "out_of_scope", "confidence": ranking[0][1]}
    return tracker


def test_out_of_scope_says_only_council_services(dispatcher: CollectingDispatcher) -> None:
    tracker = out_of_scope_with_ranking([("out_of_scope", 0.9), ("crisis_suicide", 0.05)])
    run(ActionOutOfScope().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]


def test_a_possible_crisis_is_never_told_only_council_services(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = out_of_scope_with_ranking([("out_of_scope", 0.5), ("crisis_domestic_abuse", 0.3)])
    run(ActionOutOfScope().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_crisis_domestic_abuse_no_council",
        "utter_crisis_check",
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
