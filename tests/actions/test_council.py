"""Finding the conversation's council: channel metadata, postcode, resuming the request."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.council import ActionResumePending, ValidateCouncilForm, ValidateSlotMappings
from tests.conftest import make_tracker, run


def test_metadata_binds_the_council(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(metadata={"council": "Millbrook"})
    slots = run(ValidateSlotMappings().extract_council(dispatcher, tracker, {}))
    assert slots == {"council": "millbrook"}


def test_no_metadata_leaves_the_council_alone(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(slots={"council": "brackenbury"}, metadata=None)
    assert run(ValidateSlotMappings().extract_council(dispatcher, tracker, {})) == {}


def test_unknown_council_is_explained_once(dispatcher: CollectingDispatcher) -> None:
    first = make_tracker(metadata={"council": "atlantis"})
    assert run(ValidateSlotMappings().extract_council(dispatcher, first, {})) == {
        "council_rejected": True
    }
    assert [m["response"] for m in dispatcher.messages] == ["utter_council_unknown"]
    again = CollectingDispatcher()
    second = make_tracker(slots={"council_rejected": True}, metadata={"council": "atlantis"})
    run(ValidateSlotMappings().extract_council(again, second, {}))
    assert again.messages == []


def test_non_string_council_metadata_is_rejected(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(metadata={"council": ["brackenbury"]})
    assert run(ValidateSlotMappings().extract_council(dispatcher, tracker, {})) == {
        "council_rejected": True
    }


def validate(text: str, dispatcher: CollectingDispatcher) -> dict:
    return run(ValidateCouncilForm().validate_postcode(text, dispatcher, make_tracker(), {}))


def test_postcode_in_a_sentence_resolves_the_council(dispatcher: CollectingDispatcher) -> None:
    assert validate("it's mq3 7zd thanks", dispatcher) == {
        "postcode": "MQ3 7ZD",
        "council": "millbrook",
    }


def test_malformed_postcode_is_asked_again(dispatcher: CollectingDispatcher) -> None:
    assert validate("BK1", dispatcher) == {"postcode": None}
    assert dispatcher.messages[0]["response"] == "utter_postcode_invalid"


def test_unserved_postcode_says_where_to_go_and_stops(dispatcher: CollectingDispatcher) -> None:
    assert validate("BR8 7RE", dispatcher) == {"postcode": None, "details_stopped": True}
    assert dispatcher.messages[0]["response"] == "utter_postcode_other_council"
    assert dispatcher.messages[0]["other_council"] == "Sevenoaks District Council"


@pytest.mark.parametrize(
    ("postcode", "response"),
    [("M1 1AE", "utter_postcode_unknown"), ("MQ5 9XX", "utter_postcode_terminated")],
)
def test_unknown_or_terminated_postcode_is_asked_again(
    postcode: str, response: str, dispatcher: CollectingDispatcher
) -> None:
    assert validate(postcode, dispatcher) == {"postcode": None}
    assert dispatcher.messages[0]["response"] == response


def test_a_district_postcode_finds_the_district(dispatcher: CollectingDispatcher) -> None:
    # MQ3 7ZD is in Millbrook (district) inside Wealdshire (county): the resident's
    # own council is the lower tier.
    assert validate("MQ3 7ZD", dispatcher) == {"postcode": "MQ3 7ZD", "council": "millbrook"}


def test_a_cleared_postcode_is_no_false_error(dispatcher: CollectingDispatcher) -> None:
    # The request that needs a council clears the postcode before the form asks.
    assert validate(None, dispatcher) == {"postcode": None}  # type: ignore[arg-type]
    assert dispatcher.messages == []


def test_resume_after_the_postcode_question_was_left_adds_nothing(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = make_tracker(slots={"pending_action": "action_library_info", "details_stopped": True})
    events = run(ActionResumePending().run(dispatcher, tracker, {}))
    assert SlotSet("details_stopped", None) in events
    assert dispatcher.messages == []


def test_resume_answers_the_pending_request(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(
        slots={"council": "brackenbury", "pending_action": "action_library_info"}
    )
    events = run(ActionResumePending().run(dispatcher, tracker, {}))
    assert SlotSet("pending_action", None) in events
    assert dispatcher.messages[0]["response"] == "utter_library_info"


def test_resume_without_a_pending_request_asks_what_to_do(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = make_tracker(slots={"council": "brackenbury", "pending_action": "nonsense"})
    run(ActionResumePending().run(dispatcher, tracker, {}))
    assert dispatcher.messages[0]["response"] == "utter_ask_what_help"


def test_only_configured_councils_survive_validation(dispatcher: CollectingDispatcher) -> None:
    validate_council = ValidateSlotMappings().validate_council
    tracker = make_tracker()
    assert run(validate_council("millbrook", dispatcher, tracker, {})) == {"council": "millbrook"}
    assert run(validate_council("atlantis", dispatcher, tracker, {})) == {"council": None}
