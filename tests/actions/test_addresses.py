"""An address flow looks the postcode's addresses up once per conversation."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.addresses import ActionAskAddress, AddressLookups
from actions.details_form import ValidateDetailsForm
from actions.waste import BinCollectionDay
from assistant.backoffice.waste import Address, Collection, WasteService
from assistant.routing import runtime as action_runtime
from tests.actions.conftest import demo_backoffice
from tests.backoffice.conftest import DemoBackOfficeServer
from tests.conftest import make_tracker, run

BIN_DAY = {"council": "brackenbury", "pending_action": "action_bin_collection_day"}


class CountingWaste:
    """The real waste integration, counting its address lookups."""

    def __init__(self, waste: WasteService) -> None:
        self.waste = waste
        self.lookups: list[str] = []

    def addresses(self, postcode: str) -> list[Address]:
        self.lookups.append(postcode)
        return self.waste.addresses(postcode)

    def collections(self, uprn: str) -> list[Collection]:
        return self.waste.collections(uprn)


@pytest.fixture()
def waste(demo: DemoBackOfficeServer) -> Iterator[CountingWaste]:
    backoffice = demo_backoffice(demo, "brackenbury")
    counting = CountingWaste(backoffice.waste)
    action_runtime.configure(dataclasses.replace(backoffice, waste=counting))
    yield counting
    action_runtime.configure(None)


def tracker(slots: dict[str, Any], text: str = "", sender: str = "resident-1") -> Tracker:
    found = make_tracker(slots={**BIN_DAY, **slots}, text=text)
    found.sender_id = sender
    return found


def address_flow(sender: str, postcode_text: str, house: str) -> list[str]:
    """Postcode, the address question, the answer and the bin days; what was said."""
    form, dispatcher = ValidateDetailsForm(), CollectingDispatcher()
    slots = run(form.validate_postcode(postcode_text, dispatcher, tracker({}, sender=sender), {}))
    run(ActionAskAddress().run(dispatcher, tracker(slots, sender=sender), {}))
    slots |= run(form.validate_address(house, dispatcher, tracker(slots, house, sender=sender), {}))
    run(BinCollectionDay().run(dispatcher, tracker(slots, sender=sender), {}))
    return [message["response"] for message in dispatcher.messages]


def test_one_address_flow_looks_the_postcode_up_once(waste: CountingWaste) -> None:
    said = address_flow("resident-1", "bk12ab", "16")
    assert said == ["utter_ask_address", "utter_bin_collections"]
    assert waste.lookups == ["BK1 2AB"]


def test_each_conversation_and_postcode_is_looked_up_for_itself(waste: CountingWaste) -> None:
    address_flow("resident-1", "bk12ab", "16")
    address_flow("resident-2", "BK1 2AB", "14")
    address_flow("resident-1", "BK1 2AB", "16")  # again in the first conversation
    assert waste.lookups == ["BK1 2AB", "BK1 2AB"]


def test_a_failed_lookup_is_not_remembered(
    waste: CountingWaste, demo: DemoBackOfficeServer
) -> None:
    demo.fault("brackenbury", "down")
    dispatcher = CollectingDispatcher()
    result = run(ValidateDetailsForm().validate_postcode("BK1 2AB", dispatcher, tracker({}), {}))
    assert result["details_stopped"] is True
    demo.fault("brackenbury", "ok")
    assert address_flow("resident-1", "BK1 2AB", "16")[-1] == "utter_bin_collections"
    assert waste.lookups == ["BK1 2AB", "BK1 2AB"]


def test_lookups_are_forgotten_when_old_or_beyond_the_limit() -> None:
    now = [0.0]
    lookups = AddressLookups(max_entries=2, ttl_seconds=60, clock=lambda: now[0])
    found = [Address("1", "1 High Street")]
    lookups.put(("a", "brackenbury", "BK1 2AB"), found)
    now[0] = 59
    assert lookups.get(("a", "brackenbury", "BK1 2AB")) == found
    now[0] = 61
    assert lookups.get(("a", "brackenbury", "BK1 2AB")) is None
    for sender in ("a", "b", "c"):
        lookups.put((sender, "brackenbury", "BK1 2AB"), found)
    assert lookups.get(("a", "brackenbury", "BK1 2AB")) is None  # the oldest went
    assert lookups.get(("c", "brackenbury", "BK1 2AB")) == found
