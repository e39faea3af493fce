"""Writes made once and never misreported (issue 10, finding 7), against the demo
back-office over HTTP and a real pending-write database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actions.backoffice_write import tell_earlier_outcomes
from actions.council_tax import CouncilTaxPay
from actions.payment_links import payment_links
from actions.streets import make_report
from assistant.backoffice.errors import BackOfficeNoAnswer
from assistant.backoffice.pending import CONFIRMED, UNKNOWN, PendingWrites, pending_writes
from assistant.backoffice.registry import BackOffice
from assistant.backoffice.street_reports import NewReport
from assistant.councils import Council, default_registry
from assistant.routing import runtime as action_runtime
from devtools.demo_backoffice import models
from tests.actions.conftest import demo_backoffice
from tests.backoffice.conftest import DemoBackOfficeServer
from tests.conftest import make_tracker, run

TIMEOUT = 0.5  # the client's timeout here; the demo answers after LATE
LATE = 1.5


def millbrook_council() -> Council:
    found = default_registry().get("millbrook")
    assert found is not None
    return found


MILLBROOK = millbrook_council()


@pytest.fixture()
def millbrook(demo: DemoBackOfficeServer) -> Iterator[BackOffice]:
    backoffice = demo_backoffice(demo, "millbrook")
    for service in (backoffice.street_reports, backoffice.payments):
        service.client.timeout = TIMEOUT  # type: ignore[attr-defined]
    action_runtime.configure(backoffice)
    yield backoffice
    action_runtime.configure(None)


def count(demo: DemoBackOfficeServer, table: Any) -> int:
    with Session(demo.app.engine) as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def report(tracker: Any) -> tuple[str | None, list[str]]:
    dispatcher = CollectingDispatcher()
    filed = run(
        make_report(
            dispatcher, tracker, MILLBROOK, "abandoned_vehicle", "Burnt-out van", "Church Lane"
        )
    )
    reference = filed.reference if filed is not None else None
    return reference, [m["response"] for m in dispatcher.messages]


def test_saved_then_answered_too_late_gives_the_real_reference(
    demo: DemoBackOfficeServer, millbrook: BackOffice
) -> None:
    demo.fault("millbrook", "save_late", LATE)
    reference, said = report(make_tracker())
    assert reference is not None and reference.startswith("MQR")  # found by our reference
    assert said == []  # never "not made"
    assert count(demo, models.ServiceRequest.__table__) == 1


def test_a_replayed_report_is_filed_once(demo: DemoBackOfficeServer, millbrook: BackOffice) -> None:
    tracker = make_tracker()
    first, _ = report(tracker)
    demo.fault("millbrook", "down")  # the replay must not even need the back-office
    again, said = report(tracker)
    assert first is not None and again == first and said == []
    assert count(demo, models.ServiceRequest.__table__) == 1


def test_a_repeated_client_reference_is_filed_once_by_the_back_office(
    demo: DemoBackOfficeServer, millbrook: BackOffice, pending_store: PendingWrites
) -> None:
    demo.fault("millbrook", "save_late", LATE)
    tracker = make_tracker()
    with pytest.MonkeyPatch.context() as patch:  # the lookup fails: we cannot tell
        patch.setattr(type(millbrook.street_reports), "find", _unreachable)
        reference, said = report(tracker)
    assert reference is None and said == ["utter_write_checking"]
    demo.fault("millbrook", "ok")
    again, said = report(tracker)  # the resident says yes again
    assert again is not None and said == []
    assert count(demo, models.ServiceRequest.__table__) == 1
    record = pending_store.get(_only(pending_store))
    assert (record.state, record.backoffice_reference) == (CONFIRMED, again)


def test_unknown_is_checking_and_the_next_message_gives_the_reference(
    demo: DemoBackOfficeServer, millbrook: BackOffice, pending_store: PendingWrites
) -> None:
    demo.fault("millbrook", "slow", LATE)  # every answer late, the lookup's too
    tracker = make_tracker()
    reference, said = report(tracker)
    assert reference is None and said == ["utter_write_checking"]
    [record] = pending_store.untold(tracker.sender_id)
    assert record.state == UNKNOWN
    demo.fault("millbrook", "ok")
    dispatcher = CollectingDispatcher()
    run(tell_earlier_outcomes(dispatcher, tracker, MILLBROOK))
    [told] = dispatcher.messages
    filed = count(demo, models.ServiceRequest.__table__)
    if filed:  # the slow request was still carried out after we gave up
        assert told["response"] == "utter_write_made_later" and told["reference"].startswith("MQR")
    else:
        assert told["response"] == "utter_write_not_made_later"
    assert "01632 960 500" in told["council_phone"]
    assert pending_store.untold(tracker.sender_id) == []
    again = CollectingDispatcher()
    run(tell_earlier_outcomes(again, tracker, MILLBROOK))
    assert again.messages == []  # told once


def test_an_interrupted_write_is_told_at_the_next_message(
    demo: DemoBackOfficeServer, millbrook: BackOffice, pending_store: PendingWrites
) -> None:
    tracker = make_tracker()
    record, _ = pending_store.open(tracker.sender_id, "millbrook", "report", "x")
    # The write reached the back-office, then this action server was killed.
    millbrook.street_reports.create(
        _new_report(record.client_reference)  # as the killed server had sent it
    )
    dispatcher = CollectingDispatcher()
    run(tell_earlier_outcomes(dispatcher, tracker, MILLBROOK))
    [told] = dispatcher.messages
    assert told["response"] == "utter_write_made_later" and told["reference"].startswith("MQR")
    assert count(demo, models.ServiceRequest.__table__) == 1


def test_a_replayed_payment_offer_is_one_payment(
    demo: DemoBackOfficeServer, millbrook: BackOffice
) -> None:
    """Issue 12, item 2: the action offers the assistant's own payment page and makes
    no payment; a replayed offer is the same payment (one record, one client reference)."""
    account = millbrook.council_tax.account("400123456")
    tracker = make_tracker()
    links = []
    for _ in range(2):  # Rasa replays the action
        dispatcher = CollectingDispatcher()
        run(CouncilTaxPay().for_account(dispatcher, tracker, MILLBROOK, account))
        [message] = dispatcher.messages
        assert message["response"] == "utter_council_tax_payment_link"
        links.append(message["payment_link"])
    store = payment_links()
    found = [store.by_token(link.rsplit("/", 1)[1]) for link in links]
    assert found[0] is not None and found[1] is not None
    assert found[0].client_reference == found[1].client_reference
    assert count(demo, models.Payment.__table__) == 0  # made when the page is opened


def _unreachable(self: object, client_reference: str, token: str | None = None) -> None:
    raise BackOfficeNoAnswer("lookup timed out")


def _only(store: PendingWrites) -> str:
    with store.engine.connect() as connection:
        return str(connection.execute(select(pending_writes.c.client_reference)).scalar_one())


def _new_report(client_reference: str) -> NewReport:
    return NewReport("EN-ABV", "Burnt-out van", "Church Lane", client_reference=client_reference)


def test_a_write_is_bounded_as_its_adapter_states(
    demo: DemoBackOfficeServer, millbrook: BackOffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    import actions.backoffice_write as backoffice_write

    bounds: list[float | None] = []
    real = backoffice_write.call_within

    async def recorded(bound: float | None, *args: Any) -> Any:
        bounds.append(bound)
        return await real(bound, *args)

    monkeypatch.setattr(backoffice_write, "call_within", recorded)
    reference, _ = report(make_tracker())
    assert reference is not None
    reports = millbrook.street_reports
    assert bounds == [reports.write_seconds()]  # type: ignore[attr-defined]
    assert bounds[0] != 3 * MILLBROOK.backoffice.timeout_seconds  # type: ignore[union-attr]
