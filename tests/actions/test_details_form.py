"""validate_details_form against the demo back-office over HTTP: identity checks,
address choice and stopping politely when the back-office fails."""

from __future__ import annotations

import time
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.details_form import ValidateDetailsForm
from tests.conftest import make_tracker, run

FORM = ValidateDetailsForm()


def validate(slot: str, value: Any, slots: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"council": "brackenbury", **slots}, text=str(value))
    method = getattr(FORM, f"validate_{slot}")
    result = run(method(value, dispatcher, tracker, {}))
    return result, [m.get("response") for m in dispatcher.messages]


BALANCE = {"pending_action": "action_council_tax_balance", "council_tax_ref": "30012345"}


def test_matching_reference_and_postcode_verify_the_account(brackenbury) -> None:
    result, said = validate("property_postcode", "bk1 2ab", BALANCE)
    assert result["verified_account"] == "brackenbury:30012345"
    assert abs(result["verified_at"] - time.time()) < 60  # when: it expires
    assert said == []


def test_a_wrong_postcode_counts_an_attempt_and_clears_both_details(brackenbury) -> None:
    result, said = validate("property_postcode", "BK1 2AD", BALANCE)
    assert result == {
        "council_tax_ref": None,
        "property_postcode": None,
        "verification_attempts": 1,
    }
    assert said == ["utter_verification_failed"]


def test_an_unknown_account_looks_the_same_as_a_wrong_postcode(brackenbury) -> None:
    result, said = validate(
        "property_postcode", "BK1 2AB", {**BALANCE, "council_tax_ref": "39999999"}
    )
    assert result["verification_attempts"] == 1 and said == ["utter_verification_failed"]


def test_the_third_failure_ends_the_checks(brackenbury) -> None:
    result, said = validate("property_postcode", "BK1 2AD", {**BALANCE, "verification_attempts": 2})
    assert result["verification_attempts"] == 3 and said == []  # the action says why
    tracker = make_tracker(slots={"council": "brackenbury", **BALANCE, **result})
    assert run(FORM.required_slots([], CollectingDispatcher(), tracker, {})) == []


def test_a_reference_in_another_councils_format_is_explained(brackenbury) -> None:
    result, said = validate(
        "council_tax_ref", "400123456", {"pending_action": "action_council_tax_balance"}
    )
    assert result == {"council_tax_ref": None} and said == ["utter_council_tax_ref_invalid"]


def test_a_postcode_with_several_addresses_asks_which(brackenbury) -> None:
    result, said = validate("postcode", "bk12ab", {"pending_action": "action_bin_collection_day"})
    assert result == {"postcode": "BK1 2AB", "address": None, "uprn": None} and said == []
    chosen, _ = validate("address", "16", {"pending_action": "action_bin_collection_day", **result})
    assert chosen["uprn"] == "100010001016"


def test_a_postcode_in_another_councils_area_is_refused(brackenbury) -> None:
    result, said = validate("postcode", "MQ3 7ZD", {"pending_action": "action_bin_collection_day"})
    assert result == {"postcode": None} and said == ["utter_postcode_other_area"]


def test_a_failing_back_office_stops_the_questions(brackenbury) -> None:
    brackenbury.fault("brackenbury", "down")
    result, said = validate("property_postcode", "BK1 2AB", BALANCE)
    assert result["details_stopped"] is True and said == ["utter_service_unavailable"]
    assert "verified_account" not in result


def test_slots_the_pending_action_does_not_need_are_left_alone(brackenbury) -> None:
    result, said = validate(
        "planning_ref", "nonsense", {"pending_action": "action_bin_collection_day"}
    )
    assert result == {"planning_ref": "nonsense"} and said == []


def test_guesses_from_new_conversations_are_counted_for_the_reference(
    brackenbury, identity_attempts
) -> None:
    """Finding 3: a new sender id used to reset the count; the store keeps it."""
    said_all = []
    for guess in ("BK1 2AD", "BK1 2AE", "BK1 2AF", "BK1 2AG"):
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(slots={"council": "brackenbury", **BALANCE}, text=guess)
        tracker.sender_id = f"fresh-{guess}"
        result = run(FORM.validate_property_postcode(guess, dispatcher, tracker, {}))
        said_all.append([m.get("response") for m in dispatcher.messages])
    assert said_all[:2] == [["utter_verification_failed"]] * 2
    assert said_all[2:] == [["utter_verification_locked"]] * 2
    # Even the right postcode is not accepted while the reference is locked.
    right, said = validate("property_postcode", "BK1 2AB", BALANCE)
    assert "verified_account" not in right and said == ["utter_verification_locked"]
    assert result["details_stopped"] is True


def test_a_success_elsewhere_does_not_reset_the_counts(brackenbury, identity_attempts) -> None:
    for guess in ("BK1 2AD", "BK1 2AE"):
        validate("property_postcode", guess, BALANCE)
    verified, _ = validate("property_postcode", "BK1 2AB", BALANCE)  # the owner, meanwhile
    assert verified["verified_account"] == "brackenbury:30012345"
    _, said = validate("property_postcode", "BK1 2AF", BALANCE)
    assert said == ["utter_verification_locked"]


def test_one_client_guessing_many_references_is_locked(brackenbury, identity_attempts) -> None:
    for reference in ("30012345", "30099991", "30099992"):
        validate("property_postcode", "BK1 2AD", {**BALANCE, "council_tax_ref": reference})
    _, said = validate("property_postcode", "BK1 2AB", BALANCE)
    assert said == ["utter_verification_locked"]
