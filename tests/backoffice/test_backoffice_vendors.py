"""Vendor clients and integrations against the demo back-office over real HTTP."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import requests

from assistant.backoffice.errors import (
    BackOfficeMalformed,
    BackOfficeRejected,
    BackOfficeUnavailable,
    NotFound,
)
from assistant.backoffice.housing import RepairRequest
from assistant.backoffice.payments import NewPayment
from assistant.backoffice.street_reports import NewReport
from assistant.backoffice.vendors.bindays import BinDaysClient, BinDaysWaste
from assistant.backoffice.vendors.ctaxpro import CTaxProClient, CTaxProCouncilTax
from assistant.backoffice.vendors.govuk_pay import GovUkPayClient, GovUkPayPayments
from assistant.backoffice.vendors.open311 import Open311Client, Open311StreetReports
from assistant.backoffice.vendors.planview import PlanViewClient, PlanViewPlanning
from assistant.backoffice.vendors.repairdesk import RepairDeskClient, RepairDeskRepairs
from assistant.backoffice.vendors.revbase import RevBaseClient, RevBaseCouncilTax
from assistant.backoffice.vendors.wastecal import WasteCalClient, WasteCalWaste
from tests.backoffice.conftest import DemoBackOfficeServer, demo_app
from tests.http_server import ServedApp


def open311(demo: DemoBackOfficeServer, council: str = "brackenbury") -> Open311StreetReports:
    client = Open311Client(demo.base(council, "open311/v2"), demo.key(council, "open311"))
    return Open311StreetReports(client)


def test_revbase_account_in_pence_and_iso_dates(demo: DemoBackOfficeServer) -> None:
    service = RevBaseCouncilTax(
        RevBaseClient(demo.base("brackenbury", "revbase"), demo.key("brackenbury", "revbase"))
    )
    account = service.account("30012345")
    assert account.balance_pence == 45600
    assert account.next_instalment is not None
    assert account.next_instalment.due == dt.date(2026, 12, 1)
    assert account.belongs_to("bk12ab") and not account.belongs_to("BK1 2AD")
    assert account.discounts == ("Single person discount (25%)",)
    with pytest.raises(NotFound):
        service.account("39999999")


def test_ctaxpro_account_in_pounds_and_uk_dates(demo: DemoBackOfficeServer) -> None:
    service = CTaxProCouncilTax(
        CTaxProClient(demo.base("millbrook", "ctaxpro"), demo.key("millbrook", "ctaxpro"))
    )
    account = service.account("400123456")
    assert account.balance_pence == 31250
    assert account.next_instalment is not None
    assert account.next_instalment.due == dt.date(2026, 12, 15)
    assert account.next_instalment.amount_pence == 10417
    assert account.belongs_to("MQ3 7ZD")


def test_one_councils_key_cannot_read_another_councils_records(demo: DemoBackOfficeServer) -> None:
    wrong = RevBaseCouncilTax(
        RevBaseClient(demo.base("millbrook", "revbase"), demo.key("brackenbury", "revbase"))
    )
    with pytest.raises(BackOfficeRejected):
        wrong.account("400123456")
    # And with its own key, a council only sees its own accounts.
    own = RevBaseCouncilTax(
        RevBaseClient(demo.base("brackenbury", "revbase"), demo.key("brackenbury", "revbase"))
    )
    with pytest.raises(NotFound):
        own.account("400123456")


def test_wastecal_addresses_and_next_collections(demo: DemoBackOfficeServer) -> None:
    waste = WasteCalWaste(
        WasteCalClient(demo.base("brackenbury", "wastecal"), demo.key("brackenbury", "wastecal"))
    )
    addresses = waste.addresses("bk1 2ab")
    assert len(addresses) == 3
    assert addresses[0].line.startswith("14 Rose Lane")
    collections = waste.collections(addresses[0].uprn)
    assert [c.bin_name for c in collections][0] == "Rubbish (black wheelie bin)"
    assert collections[0].date == dt.date(2026, 12, 1)  # the next Tuesday
    assert all(c.date.weekday() == 1 for c in collections)
    assert waste.addresses("BK9 9ZZ") == []


def test_bindays_is_a_different_shape_of_the_same_service(demo: DemoBackOfficeServer) -> None:
    waste = BinDaysWaste(
        BinDaysClient(demo.base("millbrook", "bindays"), demo.key("millbrook", "bindays"))
    )
    [address] = waste.addresses("mq3 7zd")
    assert address.line.startswith("The Old Forge")
    collections = waste.collections(address.uprn)
    assert {c.bin_name for c in collections} == {
        "General waste (grey bin)",
        "Recycling (green box)",
        "Food waste (caddy)",
    }
    assert collections[0].date == dt.date(2026, 11, 26)  # Thursday: collected today
    with pytest.raises(NotFound):
        waste.collections("100010001014")  # a Brackenbury property


def test_open311_report_and_status(demo: DemoBackOfficeServer) -> None:
    reports = open311(demo)
    assert "POTHOLE" in reports.service_codes()
    reference = reports.create(
        NewReport("POTHOLE", "deep pothole", address_string="High St")
    ).reference
    assert reference.startswith("BKR")
    status = reports.status(reference)
    assert (status.status, status.service_name) == ("open", "Pothole")
    with pytest.raises(NotFound):
        reports.status("BKR999999")
    with pytest.raises(NotFound):  # another council's reference
        open311(demo, "millbrook").status(reference)


def test_open311_rejects_an_unknown_service_code(demo: DemoBackOfficeServer) -> None:
    with pytest.raises(NotFound):
        open311(demo).create(NewReport("NO_SUCH", "x", address_string="High St"))


def test_reports_keep_their_status_across_restarts(demo: DemoBackOfficeServer) -> None:
    reference = (
        open311(demo).create(NewReport("MISSED_BIN", "missed", address_id="100010001014")).reference
    )
    closed = {"status": "closed", "status_notes": "Collected on Friday."}
    update = requests.post(
        f"{demo.url}/_admin/service-requests/{reference}", json=closed, timeout=5
    )
    assert update.ok
    with ServedApp(demo_app(demo.db).app()) as url:  # a second server, same database
        restarted = DemoBackOfficeServer(url, demo.db, demo.app)
        status = open311(restarted).status(reference)
    assert (status.reference, status.status) == (reference, "closed")
    assert status.status_notes == "Collected on Friday."


def test_planview_application_states(demo: DemoBackOfficeServer) -> None:
    planning = PlanViewPlanning(
        PlanViewClient(demo.base("brackenbury", "planview"), demo.key("brackenbury", "planview"))
    )
    pending = planning.application("BK/24/0123/FUL")
    assert pending.status == "under consideration" and pending.decision_date is None
    millbrook = PlanViewPlanning(
        PlanViewClient(demo.base("millbrook", "planview"), demo.key("millbrook", "planview"))
    )
    decided = millbrook.application("24/00456/HH")
    assert decided.status == "approved" and decided.decision_date == dt.date(2024, 8, 20)
    with pytest.raises(NotFound):
        planning.application("BK/24/9999/FUL")


def test_repairdesk_books_a_routine_repair(demo: DemoBackOfficeServer) -> None:
    repairs = RepairDeskRepairs(
        RepairDeskClient(demo.base("millbrook", "repairdesk"), demo.key("millbrook", "repairdesk"))
    )
    booking = repairs.book(RepairRequest("200020003007", "dripping tap"))
    assert booking.reference.startswith("HR") and booking.target == "2026-12-16"
    with pytest.raises(NotFound):  # not a Millbrook property
        repairs.book(RepairRequest("100010001014", "dripping tap"))


def test_repairdesk_checks_a_tenancy_against_the_home(demo: DemoBackOfficeServer) -> None:
    repairs = RepairDeskRepairs(
        RepairDeskClient(demo.base("millbrook", "repairdesk"), demo.key("millbrook", "repairdesk"))
    )
    assert repairs.tenancy_at("MT2003007", "200020003007")
    assert repairs.tenancy_at("mt2003007", "200020003007")
    assert not repairs.tenancy_at("MT2002009", "200020003007")  # another home's tenancy
    assert not repairs.tenancy_at("MT9999999", "200020003007")  # no such tenancy
    assert not repairs.tenancy_at("BKT001014", "100010001014")  # another council's


def test_repairdesk_tracks_a_repair_by_its_reference(demo: DemoBackOfficeServer) -> None:
    def desk(council: str) -> RepairDeskRepairs:
        return RepairDeskRepairs(
            RepairDeskClient(demo.base(council, "repairdesk"), demo.key(council, "repairdesk"))
        )

    booking = desk("millbrook").book(RepairRequest("200020003007", "dripping tap"))
    status = desk("millbrook").status(booking.reference)
    assert status.reference == booking.reference and status.status == "open"
    assert status.target == booking.target
    for unknown in ("HR999999", "HR-1", "../x"):
        with pytest.raises(NotFound):
            desk("millbrook").status(unknown)
    with pytest.raises(NotFound):  # another council's repair
        desk("brackenbury").status(booking.reference)


def test_govuk_pay_payment_link(demo: DemoBackOfficeServer) -> None:
    pay = GovUkPayPayments(
        GovUkPayClient(demo.base("brackenbury", "pay"), demo.key("brackenbury", "govuk_pay"))
    )
    payment = pay.create(NewPayment(45600, "CTAX-30012345", "Council tax", "https://x.example"))
    assert payment.status == "created"
    assert payment.next_url and payment.next_url.endswith(f"/secure/{payment.payment_id}")
    assert pay.get(payment.payment_id).payment_id == payment.payment_id
    with pytest.raises(BackOfficeRejected):
        pay.create(NewPayment(0, "CTAX-30012345", "Council tax", "https://x.example"))


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("down", BackOfficeUnavailable),
        ("malformed", BackOfficeMalformed),
        ("slow", BackOfficeUnavailable),
    ],
)
def test_faults_become_typed_errors(demo: DemoBackOfficeServer, mode: str, error: type) -> None:
    demo.fault("brackenbury", mode, delay_seconds=1.0)
    revbase = RevBaseClient(
        demo.base("brackenbury", "revbase"), demo.key("brackenbury", "revbase"), timeout=0.3
    )
    with pytest.raises(error):
        RevBaseCouncilTax(revbase).account("30012345")
    reports = Open311StreetReports(
        Open311Client(
            demo.base("brackenbury", "open311/v2"), demo.key("brackenbury", "open311"), timeout=0.3
        )
    )
    with pytest.raises(error):
        reports.create(NewReport("POTHOLE", "hole", address_string="High St"))
    demo.fault("brackenbury", "ok")
    assert RevBaseCouncilTax(revbase).account("30012345").balance_pence == 45600


def test_unreachable_back_office_is_unavailable() -> None:
    client = RevBaseClient("http://127.0.0.1:9", "key", timeout=1)
    with pytest.raises(BackOfficeUnavailable) as raised:
        RevBaseCouncilTax(client).account("30012345")
    assert raised.value.__cause__ is not None  # raised from the transport error


def test_the_key_never_appears_in_a_clients_repr() -> None:
    assert "secret-value" not in repr(RevBaseClient("http://x", "secret-value"))


def test_a_report_the_caller_gave_up_on_is_never_made(demo: DemoBackOfficeServer) -> None:
    first = open311(demo).create(NewReport("POTHOLE", "hole", address_string="High St")).reference
    demo.fault("brackenbury", "slow", delay_seconds=0.8)
    impatient = Open311StreetReports(
        Open311Client(
            demo.base("brackenbury", "open311/v2"), demo.key("brackenbury", "open311"), timeout=0.2
        )
    )
    with pytest.raises(BackOfficeUnavailable):
        impatient.create(NewReport("POTHOLE", "second hole", address_string="High St"))
    time.sleep(1.2)  # long enough for the abandoned request to have finished, had it run on
    demo.fault("brackenbury", "ok")
    after = open311(demo).create(NewReport("POTHOLE", "third hole", address_string="High St"))
    after_ref = after.reference
    assert int(after_ref[3:]) == int(first[3:]) + 1


def test_open311_sends_the_point_from_the_postcode_data(demo: DemoBackOfficeServer) -> None:
    report = NewReport(
        "POTHOLE", "deep", address_string="High St", latitude=51.4142, longitude=-0.8
    )
    reference = open311(demo).create(report).reference
    url = demo.base("brackenbury", f"open311/v2/requests/{reference}.json")
    found = requests.get(url, timeout=5)  # GETs need no key (the spec)
    assert (found.json()[0]["lat"], found.json()[0]["long"]) == (51.4142, -0.8)
