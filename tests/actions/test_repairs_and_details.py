"""Housing repair triage and the details form's matching rules."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.addresses import match_address
from actions.details import reference_in
from actions.housing import emergency_in
from actions.streets import report_ref_in
from assistant.backoffice.waste import Address
from assistant.identifiers import postcode_in

WINTER, SUMMER = dt.date(2026, 1, 14), dt.date(2026, 7, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I can smell gas in the hallway", "gas"),
        ("the kitchen is FLOODING", "flooding"),
        ("burst pipe under the sink", "flooding"),
        ("sparks coming out of the socket", "unsafe electrics"),
        ("there's an exposed wire by the door", "unsafe electrics"),
        ("we have no heating at all", "no heating in winter"),
        ("the boiler's broken", "no heating in winter"),
        ("the kitchen tap is dripping", None),
        ("a cupboard door has come off", None),
        ("", None),
    ],
)
def test_triage_in_winter(text: str, expected: str | None) -> None:
    assert emergency_in(text, today=WINTER) == expected


def test_no_heating_is_routine_in_summer_but_gas_never_is() -> None:
    assert emergency_in("no heating", today=SUMMER) is None
    assert emergency_in("smell of gas", today=SUMMER) == "gas"


ADDRESSES = [
    Address("1", "14 Rose Lane, Brackenbury BK1 2AB"),
    Address("2", "16 Rose Lane, Brackenbury BK1 2AB"),
    Address("3", "Rose Cottage, Rose Lane, Brackenbury BK1 2AB"),
    Address("4", "Flat 1, 140 Rose Lane, Brackenbury BK1 2AB"),
]


@pytest.mark.parametrize(
    ("text", "house", "uprn", "expected"),
    [
        ("14", None, None, "1"),
        ("number 16", "16", None, "2"),
        ("rose cottage", "Rose Cottage", None, "3"),
        ("flat 1", None, None, "4"),
        ('/inform{"uprn":"3"}', None, "3", "3"),
        ("99", None, None, None),
        ("rose lane", None, None, None),  # more than one match: ask again
        ("", None, "999", None),  # a button for an address that is not here
    ],
)
def test_address_choice(
    text: str, house: str | None, uprn: str | None, expected: str | None
) -> None:
    chosen = match_address(ADDRESSES, text, house, uprn)
    assert (chosen.uprn if chosen else None) == expected


def test_identifiers_in_free_text() -> None:
    assert postcode_in("it's bk1 2ab thanks") == "BK1 2AB"
    assert postcode_in("no idea") is None
    assert reference_in("my ref is 3001 2345", "council_tax_ref") == "30012345"
    assert reference_in("BK/24/0123", "planning_ref") == "BK/24/0123"
    assert report_ref_in("what's happening with bkr100001?") == "BKR100001"
    # Issue 12: Open311 ids of any form, kept intact (hyphens are part of the id).
    assert report_ref_in("MQR-100002 please") == "MQR-100002"
    assert report_ref_in("status of SRQ-0123-4567?") == "SRQ-0123-4567"
    assert report_ref_in("my report 293944") == "293944"
    assert report_ref_in("293944", numeric=False) is None  # a bare number: not assumed
    assert report_ref_in("near MQ3 7ZD") is None
    assert report_ref_in("my report") is None


def test_a_new_postcode_in_the_request_is_looked_up_not_the_old_address() -> None:
    from rasa_sdk.events import FollowupAction, SlotSet
    from rasa_sdk.executor import CollectingDispatcher

    from actions.waste import BinCollectionDay
    from tests.conftest import make_tracker, run

    tracker = make_tracker(
        slots={
            "council": "millbrook",
            "postcode": "MQ2 6TR",
            "address": "9 Orchard Way",
            "uprn": "1",
        },
        text="bin day for MQ3 7ZD",
        intent="bin_collection_day",
        entities=[{"entity": "postcode", "value": "MQ3 7ZD"}],
    )
    events = run(BinCollectionDay().run(CollectingDispatcher(), tracker, {}))
    assert SlotSet("postcode", "MQ3 7ZD") in events and SlotSet("address", None) in events
    assert FollowupAction("details_form") in events


def test_a_verified_account_does_not_carry_over_to_another_council() -> None:
    from rasa_sdk.events import FollowupAction
    from rasa_sdk.executor import CollectingDispatcher

    from actions.council_tax import CouncilTaxBalance
    from tests.conftest import make_tracker, run

    switched = make_tracker(
        slots={"council": "millbrook", "verified_account": "brackenbury:30012345"},
        intent="council_tax_balance",
    )
    dispatcher = CollectingDispatcher()
    events = run(CouncilTaxBalance().run(dispatcher, switched, {}))
    assert FollowupAction("details_form") in events  # asked to verify again
    assert dispatcher.messages == []


def test_descriptions_must_say_something_within_their_length() -> None:
    from actions.details import described

    assert described("  pothole   outside the  school ", max_length=300) == (
        "pothole outside the school"
    )
    assert described("12", max_length=300) is None
    assert described("1234 5678", max_length=300) is None
    assert described(None, max_length=300) is None
    assert described("a long road " * 30, max_length=300) is None
