"""The kinds of back-office write, as data: how each is found again by our client
reference, what of its result is kept, and how it is told later (issue 10, finding 7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.backoffice.housing import RepairBooking
from assistant.backoffice.payments import Payment
from assistant.backoffice.registry import BackOffice
from assistant.backoffice.street_reports import FiledReport

# (back-office, client reference, lookup) -> the result, or None when nothing was made
Finder = Callable[[BackOffice, str, str | None], Any]


@dataclass(frozen=True)
class WriteKind:
    """One kind of write."""

    name: str
    find: Finder
    kept: Callable[[Any], tuple[str, str | None]]  # result -> (reference, detail)
    rebuilt: Callable[[str, str | None], Any]  # (reference, detail) -> result
    later: str  # the response telling the outcome at the next message
    service: Callable[[BackOffice], object]  # the service written to (for its bound)


def _report(
    backoffice: BackOffice, client_reference: str, lookup: str | None
) -> FiledReport | None:
    return backoffice.street_reports.find(client_reference, lookup)


def _repair(
    backoffice: BackOffice, client_reference: str, lookup: str | None
) -> RepairBooking | None:
    return backoffice.housing_repairs.find(client_reference)


def _payment(backoffice: BackOffice, client_reference: str, lookup: str | None) -> Payment | None:
    return backoffice.payments.find(client_reference, lookup or "")


REPORT = WriteKind(
    name="report",
    find=_report,
    kept=lambda report: (report.reference, report.service_notice),
    rebuilt=FiledReport,
    later="utter_write_made_later",
    service=lambda backoffice: backoffice.street_reports,
)
REPAIR = WriteKind(
    name="repair",
    find=_repair,
    kept=lambda booking: (booking.reference, booking.target),
    rebuilt=lambda reference, detail: RepairBooking(reference, detail or ""),
    later="utter_write_made_later",
    service=lambda backoffice: backoffice.housing_repairs,
)
PAYMENT = WriteKind(
    name="payment",
    find=_payment,
    kept=lambda payment: (payment.payment_id, payment.next_url),
    rebuilt=lambda reference, detail: Payment(reference, "created", detail),
    later="utter_payment_made_later",
    service=lambda backoffice: backoffice.payments,
)
KINDS = {kind.name: kind for kind in (REPORT, REPAIR, PAYMENT)}


def later_values(kind: WriteKind, reference: str, detail: str | None) -> dict[str, str]:
    """The values of `kind.later`: the reference, and a payment's link."""
    return {"reference": reference, "payment_link": detail or ""}
