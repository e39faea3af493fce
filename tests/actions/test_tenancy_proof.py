"""Issue 10, finding 11: a housing repair could be booked for any address. It now
needs the tenancy proved (tenancy reference checked against the home by the demo
back-office over HTTP), bound to the session, expiring, and attempt-limited."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.details_form import ValidateDetailsForm
from actions.housing import HousingRepair
from actions.tenancy import tenancy_needed, tenancy_reference
from assistant.councils import default_registry
from tests.conftest import make_tracker, run

FORM = ValidateDetailsForm()
HOME = {
    "council": "brackenbury",
    "pending_action": "action_housing_repair",
    "repair_description": "the kitchen tap is dripping",
    "postcode": "BK1 2AB",
    "address": "14 Rose Lane, Brackenbury BK1 2AB",
    "uprn": "100010001014",
}
TENANCY, OTHER_TENANCY = "BKT001014", "BKT002022"


def validate(value: Any, slots: dict[str, Any], sender: str = "test") -> tuple[dict, list]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=slots, text=str(value))
    tracker.sender_id = sender
    result = run(FORM.validate_tenancy_ref(value, dispatcher, tracker, {}))
    return result, [m.get("response") for m in dispatcher.messages]


def proved(slots: dict[str, Any], at: float | None = None) -> dict[str, Any]:
    when = time.time() if at is None else at
    return {
        **slots,
        "verified_tenancy": f"brackenbury:{slots['uprn']}",
        "verified_tenancy_at": when,
    }


def test_a_repair_without_tenancy_proof_is_refused(brackenbury) -> None:
    slots = {**HOME, "confirmation": "yes"}
    dispatcher = CollectingDispatcher()
    events = run(HousingRepair().run(dispatcher, make_tracker(slots=slots), {}))
    assert FollowupAction("details_form") in events  # asked for the tenancy first
    assert "tenancy_ref" in HousingRepair().required_details(make_tracker(slots=slots))
    # Even if the action is reached without it, nothing is booked.
    council = default_registry().get("brackenbury")
    run(HousingRepair().answer(dispatcher, make_tracker(slots=slots), {}, council))
    said = [m.get("response") for m in dispatcher.messages]
    assert said == ["utter_tenancy_locked"] and "utter_repair_booked" not in said


def test_the_tenancy_of_that_home_is_proved_and_the_repair_booked(brackenbury) -> None:
    result, said = validate("it's bkt 001014", HOME)
    assert said == [] and result["verified_tenancy"] == "brackenbury:100010001014"
    assert result["tenancy_ref"] is None  # the reference itself is not kept
    slots = {**HOME, **result, "confirmation": "yes"}
    assert "tenancy_ref" not in HousingRepair().required_details(make_tracker(slots=slots))
    dispatcher = CollectingDispatcher()
    run(HousingRepair().run(dispatcher, make_tracker(slots=slots), {}))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_repair_booked"]


def test_another_homes_tenancy_does_not_match_and_says_not_which(brackenbury) -> None:
    result, said = validate(OTHER_TENANCY, HOME)
    assert "verified_tenancy" not in result and said == ["utter_tenancy_not_matched"]


def test_a_malformed_reference_is_explained_not_checked(brackenbury) -> None:
    result, said = validate("my rent is late", HOME)
    assert result == {"tenancy_ref": None} and said == ["utter_tenancy_ref_invalid"]


def test_guesses_for_a_home_from_new_conversations_are_locked(brackenbury) -> None:
    for number, guess in enumerate(("BKT009991", "BKT009992", "BKT009993")):
        _, said = validate(guess, HOME, sender=f"fresh-{number}")
    assert said == ["utter_tenancy_locked"]
    result, said = validate(TENANCY, HOME, sender="fresh-right")  # right, but locked
    assert "verified_tenancy" not in result and said == ["utter_tenancy_locked"]
    assert result["details_stopped"] is True


def test_proof_is_for_the_home_proved_and_expires() -> None:
    council = default_registry().get("brackenbury")
    assert council is not None
    assert not tenancy_needed(make_tracker(slots=proved(HOME)), council)
    moved = {**proved(HOME), "uprn": "100010001016"}  # another address chosen since
    assert tenancy_needed(make_tracker(slots=moved), council)
    stale = proved(HOME, at=time.time() - 16 * 60)
    assert tenancy_needed(make_tracker(slots=stale), council)


def test_a_council_can_turn_the_check_off() -> None:
    council = default_registry().get("brackenbury")
    assert council is not None
    relaxed = dataclasses.replace(
        council,
        verification=council.verification.copy(update={"repairs_need_tenancy": False}),
    )
    assert not tenancy_needed(make_tracker(slots=HOME), relaxed)
    assert tenancy_reference(council, "BKT001014") == "BKT001014"
    assert tenancy_reference(council, "30012345") is None
