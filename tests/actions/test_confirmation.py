"""Issue 9, item 3: nothing is filed, booked or paid without the resident's yes.
The summary before each back-office write, and what yes, no and cancel do."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.confirmation import AskConfirmation, another_request, briefly, is_cancel
from actions.details_form import ValidateDetailsForm
from actions.housing import HousingRepair
from actions.streets import ReportPothole
from actions.waste import BinMissed
from tests.conftest import make_tracker, run

FORM = ValidateDetailsForm()
POTHOLE = {
    "council": "brackenbury",
    "pending_action": "action_report_pothole",
    "report_location": "outside 3 Mill Street",
    "report_description": "there's a massive pothole on my road",
}


def answer(value: Any, slots: dict[str, Any], text: str, intent: str = "inform") -> tuple:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=slots, text=text, intent=intent)
    result = run(FORM.validate_confirmation(value, dispatcher, tracker, {}))
    return result, [m.get("response") for m in dispatcher.messages]


@pytest.mark.parametrize("action", [ReportPothole(), BinMissed(), HousingRepair()])
def test_every_write_asks_for_a_yes_last(action) -> None:
    tracker = make_tracker(slots={"council": "brackenbury"})
    assert action.required_details(tracker)[-1] == "confirmation"


def test_the_pothole_summary_says_what_where_and_what_was_said() -> None:
    dispatcher = CollectingDispatcher()
    run(AskConfirmation().run(dispatcher, make_tracker(slots=POTHOLE), {}))
    [message] = dispatcher.messages
    assert message["response"] == "utter_confirm_pothole"
    assert message["location"] == "outside 3 Mill Street"
    assert message["said"] == "there's a massive pothole on my road"


def test_yes_lets_the_action_run() -> None:
    result, said = answer("yes", POTHOLE, "yes", intent="affirm")
    assert result == {"confirmation": "yes"} and said == []


def test_no_clears_the_detail_to_correct_and_files_nothing() -> None:
    result, said = answer("no", POTHOLE, "no", intent="deny")
    # The postcode asked for the report goes with the place (it may be elsewhere now).
    assert result == {"confirmation": None, "report_location": None, "report_postcode": None}
    assert said == ["utter_confirm_correct"]


@pytest.mark.parametrize("text", ["cancel", "no, cancel it", "forget it", "stop"])
def test_cancel_files_nothing_and_says_so(text: str) -> None:
    result, said = answer(text, POTHOLE, text)
    assert said == ["utter_confirm_cancelled"]
    assert result["details_stopped"] is True
    assert result["report_location"] is None and result["report_description"] is None


def test_anything_else_is_asked_again() -> None:
    result, said = answer("maybe", POTHOLE, "maybe")
    assert result == {"confirmation": None} and said == ["utter_confirm_yes_or_no"]


def test_a_payment_has_nothing_to_correct_so_no_cancels() -> None:
    slots = {"council": "brackenbury", "pending_action": "action_council_tax_pay"}
    verified = {**slots, "verified_account": "brackenbury:30012345", "verified_at": 9e12}
    result, said = answer("no", verified, "no", intent="deny")
    assert said == ["utter_confirm_cancelled"] and result["details_stopped"] is True


def test_the_write_waits_for_the_yes_and_a_yes_is_used_once() -> None:
    unconfirmed = make_tracker(slots=POTHOLE, intent="inform")
    events = run(ReportPothole().run(CollectingDispatcher(), unconfirmed, {}))
    assert FollowupAction("details_form") in events
    assert SlotSet("confirmation", None) in events


def test_cancel_words_and_brief_summaries() -> None:
    assert is_cancel("Cancel please") and is_cancel("never mind") and is_cancel("don't report it")
    assert not is_cancel("outside the cancer centre") and not is_cancel("no, it's Mill Lane")
    assert briefly('a  "big"   hole') == "a 'big' hole"
    assert len(briefly("word " * 50)) <= 83 and briefly("word " * 50).endswith("...")


@pytest.mark.parametrize(
    ("text", "intent", "switch"),
    [
        ("actually what is my bin day", "bin_collection_day", "action_bin_collection_day"),
        (
            "could you tell me which day they are collected?",
            "bin_collection_day",
            "action_bin_collection_day",
        ),
        ("Station Road, opposite the library", "library_info", None),
        ("where the recycling bins are on Park Road", "bin_missed", None),
        ("is it on the corner?", "report_pothole", None),  # the pending request itself
    ],
)
def test_another_request_at_the_location_question_is_not_the_location(
    text: str, intent: str, switch: str | None
) -> None:
    slots = {**POTHOLE, "requested_slot": "report_location", "report_location": None}
    tracker = make_tracker(slots=slots, text=text, intent=intent)
    assert another_request(tracker) == switch
    if switch is not None:
        events = run(FORM.get_validation_events(CollectingDispatcher(), tracker, {}))
        assert FollowupAction(switch) in events and SlotSet("details_stopped", True) in events
