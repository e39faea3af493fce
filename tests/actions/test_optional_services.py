"""A council that does not provide a service says who does, never 'unavailable';
one that passes it to its county says so first."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.registration import RegisterBirth
from actions.waste import BinCollectionDay
from tests.conftest import make_tracker, run


def test_the_county_asked_for_bins_names_the_district_tier_or_gov_uk(
    dispatcher: CollectingDispatcher,
) -> None:
    events = run(
        BinCollectionDay().run(dispatcher, make_tracker(slots={"council": "wealdshire"}), {})
    )
    assert events == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_service_elsewhere_unknown"
    assert message["service_name"] == "Bin collections"
    assert message["council_name"] == "Wealdshire County Council"
    assert "find-local-council" in message["find_council_url"]


def test_a_district_asked_about_registering_a_birth_says_the_county_handles_it(
    dispatcher: CollectingDispatcher,
) -> None:
    run(RegisterBirth().run(dispatcher, make_tracker(slots={"council": "millbrook"}), {}))
    first, answer = dispatcher.messages
    assert first["response"] == "utter_service_handled_by"
    assert (first["home_name"], first["council_name"]) == ("Millbrook", "Wealdshire County Council")
    # The answer itself is the county's, with the county's details.
    assert answer["council_id"] == "wealdshire"
