"""Card payments: the typed interface of a payments integration (GOV.UK Pay shaped)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class NewPayment:
    """A payment to start: the resident pays on the provider's page, never in chat."""

    amount_pence: int
    reference: str
    description: str
    return_url: str
    client_reference: str | None = None  # ours, per confirmed write (issue 10, finding 7)


@dataclass(frozen=True)
class Payment:
    """A payment and where the resident goes to pay it."""

    payment_id: str
    status: str
    next_url: str | None


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
