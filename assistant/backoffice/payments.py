"""Card payments: the typed interface of a payments integration (GOV.UK Pay shaped)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlparse

from assistant.backoffice.errors import BackOfficeRejected, BackOfficeUnavailable

# GOV.UK Pay's limits on a create (docs.payments.service.gov.uk, "Create a payment").
MIN_AMOUNT_PENCE, MAX_AMOUNT_PENCE = 1, 10_000_000
MAX_REFERENCE, MAX_DESCRIPTION, MAX_RETURN_URL = 255, 255, 2000


@dataclass(frozen=True)
class NewPayment:
    """A payment to start: the resident pays on the provider's page, never in chat."""

    amount_pence: int
    reference: str
    description: str
    return_url: str
    client_reference: str | None = None  # ours: the Idempotency-Key of the create


@dataclass(frozen=True)
class Payment:
    """A payment, its state and where the resident goes to pay it."""

    payment_id: str
    status: str
    next_url: str | None
    amount_pence: int | None = None
    failure_code: str | None = None  # state.code of a failed or cancelled payment

    def __repr__(self) -> str:  # next_url is a bearer link: never in logs
        return f"Payment({self.payment_id!r}, {self.status!r})"


class PaymentInvalid(BackOfficeRejected):
    """Refused before sending: the payment breaks the provider's documented rules."""


class PaymentRefused(BackOfficeRejected):
    """The provider refused the request with an error code (e.g. GOV.UK Pay's P0102)."""

    def __init__(self, message: str, code: str | None) -> None:
        super().__init__(message)
        self.code = code


class PaymentsBusy(BackOfficeUnavailable):
    """The provider rate-limited us (HTTP 429) or failed (5xx): worth a later retry."""

    def __init__(self, message: str, code: str | None) -> None:
        super().__init__(message)
        self.code = code


def check_new_payment(payment: NewPayment, allow_http_return: bool = False) -> None:
    """PaymentInvalid unless the amount, texts and return URL are ones Pay accepts
    (an https return URL; plain http only when `allow_http_return`, for the demo)."""
    amount = payment.amount_pence
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise PaymentInvalid("amount must be whole pence")
    if not MIN_AMOUNT_PENCE <= amount <= MAX_AMOUNT_PENCE:
        raise PaymentInvalid(f"amount must be {MIN_AMOUNT_PENCE}..{MAX_AMOUNT_PENCE} pence")
    if not payment.reference or len(payment.reference) > MAX_REFERENCE:
        raise PaymentInvalid(f"reference must be 1..{MAX_REFERENCE} characters")
    if not payment.description or len(payment.description) > MAX_DESCRIPTION:
        raise PaymentInvalid(f"description must be 1..{MAX_DESCRIPTION} characters")
    url = urlparse(payment.return_url)
    schemes = ("https", "http") if allow_http_return else ("https",)
    if url.scheme not in schemes or not url.netloc or len(payment.return_url) > MAX_RETURN_URL:
        raise PaymentInvalid("return_url must be an https URL")


class PaymentService(Protocol):
    """Starts payments and reports their state."""

    def create(self, payment: NewPayment) -> Payment:
        """Start a payment; the result's `next_url` is the page where the resident pays."""
        ...

    def find(self, client_reference: str, reference: str) -> Payment | None:
        """The payment started with `client_reference`, whose own reference (what the
        provider searches by) is `reference`; None when there is none."""
        ...

    def get(self, payment_id: str) -> Payment:
        """The payment's current state."""
        ...
