"""CouncilAction: answers for the conversation's council, or finds the council first."""

from __future__ import annotations

from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import council_action_named
from actions.council_tax import CouncilTaxDiscount
from tests.conftest import make_tracker, run


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [message.get("response") for message in dispatcher.messages]


def test_known_council_gets_its_own_details(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(slots={"council": "millbrook"}, intent="council_tax_discount")
    events = run(CouncilTaxDiscount().run(dispatcher, tracker, {}))
    assert events == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_council_tax_discount"
    assert message["council_name"] == "Millbrook District Council"
    assert message["link_council_tax_discounts"] == (
        "https://www.millbrook.example.gov.uk/council-tax/reductions"
    )


def test_unknown_council_asks_for_a_postcode_and_remembers_the_request(
    dispatcher: CollectingDispatcher,
) -> None:
    events = run(CouncilTaxDiscount().run(dispatcher, make_tracker(), {}))
    assert SlotSet("pending_action", "action_council_tax_discount") in events
    assert FollowupAction("council_form") in events
    assert dispatcher.messages == []


def test_postcode_in_the_request_finds_the_council(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(
        text="council tax discount bk1 2ab",
        entities=[{"entity": "postcode", "value": "BK1 2AB"}],
    )
    events = run(CouncilTaxDiscount().run(dispatcher, tracker, {}))
    assert SlotSet("council", "brackenbury") in events
    # Run again, now that the router can send it to that council's action server.
    assert FollowupAction("action_council_tax_discount") in events
    assert dispatcher.messages == []


def test_postcode_outside_every_council_is_told_so(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(entities=[{"entity": "postcode", "value": "SW1A 1AA"}])
    events = run(CouncilTaxDiscount().run(dispatcher, tracker, {}))
    assert events == []
    # A real postcode: the answer names the council whose area it is.
    assert responses(dispatcher) == ["utter_postcode_other_council"]
    assert dispatcher.messages[0]["postcode"] == "SW1A 1AA"
    assert dispatcher.messages[0]["other_council"] == "Westminster City Council"


def test_forged_council_slot_value_is_treated_as_no_council(
    dispatcher: CollectingDispatcher,
) -> None:
    events = run(
        CouncilTaxDiscount().run(dispatcher, make_tracker(slots={"council": "atlantis"}), {})
    )
    assert FollowupAction("council_form") in events


def test_actions_are_found_by_name() -> None:
    action = council_action_named("action_bin_missed")
    assert action is not None and action.name() == "action_bin_missed"
    assert council_action_named("action_does_not_exist") is None
    assert council_action_named(None) is None
