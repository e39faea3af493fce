"""Client references (issue 10, finding 7): each vendor adapter sends ours, the demo
back-office files a repeat once, and a write is found again by it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from assistant.backoffice.errors import BackOfficeNoAnswer, BackOfficeUnavailable
from assistant.backoffice.housing import RepairRequest
from assistant.backoffice.payments import NewPayment
from assistant.backoffice.street_reports import NewReport
from assistant.backoffice.vendors.govuk_pay import GovUkPayClient, GovUkPayPayments
from assistant.backoffice.vendors.open311 import Open311Client, Open311StreetReports
from assistant.backoffice.vendors.repairdesk import RepairDeskClient, RepairDeskRepairs
from assistant.backoffice.vendors.revbase import RevBaseClient, RevBaseCouncilTax
from devtools.demo_backoffice.models import open_database
from tests.backoffice.conftest import DemoBackOfficeServer


def open311(demo: DemoBackOfficeServer, timeout: float = 3.0) -> Open311StreetReports:
    key = demo.key("brackenbury", "open311")
    return Open311StreetReports(Open311Client(demo.base("brackenbury", "open311/v2"), key, timeout))


def test_open311_files_a_repeated_client_reference_once(demo: DemoBackOfficeServer) -> None:
    reports = open311(demo)
    report = NewReport("POTHOLE", "hole", address_string="High St", client_reference="AST-1")
    first = reports.create(report)
    assert reports.create(report) == first
    assert reports.find("AST-1") == first
    assert reports.find("AST-2") is None
    other = reports.create(NewReport("POTHOLE", "hole", address_string="High St"))
    assert other != first  # without a client reference, every create is a new report


def test_open311_lookup_is_another_councils_never(demo: DemoBackOfficeServer) -> None:
    open311(demo).create(NewReport("POTHOLE", "hole", "High St", client_reference="AST-9"))
    key = demo.key("millbrook", "open311")
    millbrook = Open311StreetReports(Open311Client(demo.base("millbrook", "open311/v2"), key))
    assert millbrook.find("AST-9") is None


def test_repairdesk_logs_a_repeated_client_reference_once(demo: DemoBackOfficeServer) -> None:
    key = demo.key("millbrook", "repairdesk")
    repairs = RepairDeskRepairs(RepairDeskClient(demo.base("millbrook", "repairdesk"), key))
    request = RepairRequest("200020003007", "dripping tap", client_reference="AST-3")
    first = repairs.book(request)
    assert repairs.book(request) == first
    assert repairs.find("AST-3") == first
    assert repairs.find("AST-4") is None


def test_govuk_pay_idempotency_key_and_search(demo: DemoBackOfficeServer) -> None:
    key = demo.key("brackenbury", "govuk_pay")
    pay = GovUkPayPayments(GovUkPayClient(demo.base("brackenbury", "pay"), key))
    payment = NewPayment(45600, "CTAX-30012345", "Council tax", "https://x.example", "AST-5")
    first = pay.create(payment)
    assert pay.create(payment).payment_id == first.payment_id
    other = pay.create(NewPayment(45600, "CTAX-30012345", "Council tax", "https://x.example"))
    assert other.payment_id != first.payment_id
    found = pay.find("AST-5", "CTAX-30012345")
    assert found is not None and found.payment_id == first.payment_id
    assert pay.find("AST-6", "CTAX-30012345") is None


def test_saved_then_answered_late_is_no_answer_and_found_after(
    demo: DemoBackOfficeServer,
) -> None:
    demo.fault("brackenbury", "save_late", delay_seconds=1.0)
    report = NewReport("POTHOLE", "hole", address_string="High St", client_reference="AST-7")
    with pytest.raises(BackOfficeNoAnswer):
        open311(demo, timeout=0.3).create(report)
    assert open311(demo).find("AST-7") is not None  # lookups answer at once


def test_a_request_never_sent_is_unavailable_not_unanswered() -> None:
    client = RevBaseClient("http://127.0.0.1:9", "key", timeout=1)
    with pytest.raises(BackOfficeUnavailable) as raised:
        RevBaseCouncilTax(client).account("30012345")
    assert not isinstance(raised.value, BackOfficeNoAnswer)


def test_a_demo_database_from_before_gets_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    open_database(path).dispose()
    old = create_engine(f"sqlite:///{path}")
    with old.begin() as connection:  # as a database made before client references
        connection.exec_driver_sql("DROP INDEX ix_service_requests_client_reference")
        connection.exec_driver_sql("ALTER TABLE service_requests DROP COLUMN client_reference")
    old.dispose()
    engine = open_database(path)
    columns = {column["name"] for column in inspect(engine).get_columns("service_requests")}
    assert "client_reference" in columns
    engine.dispose()
