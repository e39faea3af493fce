"""`outcomes_waiting` (issue 14): a write or a payment offer lists its council, so that
Rasa makes the slot-mapping call at the next message; that call removes the council
once nothing is left to tell. Against the demo back-office over HTTP and a real
pending-write database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.council import ValidateSlotMappings, outcomes_left
from actions.council_tax import CouncilTaxPay
from actions.outcomes_waiting import noting_outcomes
from actions.payment_links import payment_links
from actions.streets import make_report
from assistant.backoffice.payment_links import PAID
from assistant.backoffice.pending import UNKNOWN, PendingWrites
from assistant.backoffice.registry import BackOffice
from assistant.councils import Council, default_registry
from assistant.routing import runtime as action_runtime
from tests.actions.conftest import demo_backoffice
from tests.backoffice.conftest import DemoBackOfficeServer
from tests.conftest import make_tracker, run

LATE = 1.5  # the demo answers after the client's 0.5 s timeout


def council(council_id: str) -> Council:
    found = default_registry().get(council_id)
    assert found is not None
    return found


MILLBROOK = council("millbrook")


@pytest.fixture()
def millbrook(demo: DemoBackOfficeServer) -> Iterator[BackOffice]:
    backoffice = demo_backoffice(demo, "millbrook")
    for service in (backoffice.street_reports, backoffice.payments):
        service.client.timeout = 0.5  # type: ignore[attr-defined]
    action_runtime.configure(backoffice)
    yield backoffice
    action_runtime.configure(None)


async def reported(tracker: Any, dispatcher: CollectingDispatcher) -> list[Any]:
    await make_report(dispatcher, tracker, MILLBROOK, "abandoned_vehicle", "Van", "Church Lane")
    return [SlotSet("report_description", None)]


def waiting(events: list[Any]) -> list[Any]:
    return [e["value"] for e in events if e.get("name") == "outcomes_waiting"]


def test_a_write_lists_its_council_until_its_outcome_is_told(
    demo: DemoBackOfficeServer, millbrook: BackOffice, pending_store: PendingWrites
) -> None:
    demo.fault("millbrook", "slow", LATE)  # no answer: "we're checking"
    tracker = make_tracker(slots={"council": "millbrook", "outcomes_waiting": ["wealdshire"]})
    dispatcher = CollectingDispatcher()
    events = run(noting_outcomes(tracker, reported(tracker, dispatcher)))
    assert [m["response"] for m in dispatcher.messages] == ["utter_write_checking"]
    assert events[0] == SlotSet("report_description", None)
    assert waiting(events) == [["millbrook", "wealdshire"]]
    [record] = pending_store.untold(tracker.sender_id)
    assert record.state == UNKNOWN
    later = make_tracker(
        slots={"council": "millbrook", "outcomes_waiting": ["millbrook", "wealdshire"]},
        metadata={"council": "millbrook"},
    )
    # Still unknown: kept. The county's entry is dropped: this call never reaches its server.
    assert run(outcomes_left(later, MILLBROOK)) == [SlotSet("outcomes_waiting", ["millbrook"])]
    demo.fault("millbrook", "ok")
    told = CollectingDispatcher()
    events = run(ValidateSlotMappings().run(told, later, {}))
    assert [m["response"] for m in told.messages] in (
        ["utter_write_made_later"],
        ["utter_write_not_made_later"],
    )
    assert waiting(events) == [[]]  # told: nothing left, and no other council kept


def test_a_write_told_at_once_is_cleared_at_the_next_call(
    demo: DemoBackOfficeServer, millbrook: BackOffice
) -> None:
    tracker = make_tracker(slots={"council": "millbrook"})
    events = run(noting_outcomes(tracker, reported(tracker, CollectingDispatcher())))
    assert waiting(events) == [["millbrook"]]  # noted for every write, told or not
    later = make_tracker(slots={"council": "millbrook", "outcomes_waiting": ["millbrook"]})
    assert run(outcomes_left(later, MILLBROOK)) == [SlotSet("outcomes_waiting", [])]


def test_a_payment_offer_lists_its_council_until_paid_and_told(
    demo: DemoBackOfficeServer, millbrook: BackOffice
) -> None:
    account = millbrook.council_tax.account("400123456")
    tracker = make_tracker(slots={"council": "millbrook"})
    dispatcher = CollectingDispatcher()
    events = run(
        noting_outcomes(
            tracker, CouncilTaxPay().for_account(dispatcher, tracker, MILLBROOK, account)
        )
    )
    assert waiting(events) == [["millbrook"]]
    later = make_tracker(slots={"council": "millbrook", "outcomes_waiting": ["millbrook"]})
    # Not opened yet: the resident may still pay, so the council stays listed.
    assert run(outcomes_left(later, MILLBROOK)) == []
    store = payment_links()
    link = store.by_token(dispatcher.messages[0]["payment_link"].rsplit("/", 1)[1])
    assert link is not None
    store.state(link.id, PAID, None)
    assert run(outcomes_left(later, MILLBROOK)) == []  # paid, not told yet
    store.told(link.id)
    assert run(outcomes_left(later, MILLBROOK)) == [SlotSet("outcomes_waiting", [])]


def test_an_answer_without_writes_adds_nothing(millbrook: BackOffice) -> None:
    async def answer() -> list[Any]:
        return [SlotSet("report_description", None)]

    tracker = make_tracker(slots={"council": "millbrook"})
    assert run(noting_outcomes(tracker, answer())) == [SlotSet("report_description", None)]


def test_a_server_without_the_councils_back_office_leaves_the_slot_alone() -> None:
    action_runtime.configure(None)  # the council-free server
    tracker = make_tracker(slots={"council": "millbrook", "outcomes_waiting": ["millbrook"]})
    assert run(outcomes_left(tracker, MILLBROOK)) == []
    assert run(outcomes_left(tracker, None)) == []
