"""The shared guard of details checked against an earlier one (the address against the
postcode, the property's postcode against the account, the tenancy against the home):
left alone when the pending action does not need it, asked again while the earlier
detail is missing, never accepted unchecked."""

from __future__ import annotations

from typing import Any

import pytest

from actions.details_form import ValidateDetailsForm
from tests.conftest import make_tracker

PENDING = {
    "address": "action_bin_collection_day",
    "property_postcode": "action_council_tax_balance",
    "tenancy_ref": "action_housing_repair",
}
EARLIER = {"address": "postcode", "property_postcode": "council_tax_ref", "tenancy_ref": "uprn"}


def guard(slot: str, **slots: Any) -> Any:
    tracker = make_tracker(slots={"council": "millbrook", **slots})
    return ValidateDetailsForm().checked_against(tracker, slot, "typed", EARLIER[slot])


@pytest.mark.parametrize("slot", list(PENDING))
def test_a_detail_another_action_needs_is_left_as_it_is(slot: str) -> None:
    assert guard(slot, pending_action="action_report_pothole") == {slot: "typed"}


@pytest.mark.parametrize("slot", list(PENDING))
def test_a_needed_detail_without_the_earlier_one_is_asked_again(slot: str) -> None:
    assert guard(slot, pending_action=PENDING[slot]) == {slot: None}


@pytest.mark.parametrize("slot", list(PENDING))
def test_with_the_earlier_detail_the_council_and_it_are_given(slot: str) -> None:
    council, earlier = guard(slot, pending_action=PENDING[slot], **{EARLIER[slot]: "X1"})
    assert council.id == "millbrook" and earlier == "X1"
