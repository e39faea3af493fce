"""GOV.UK Pay public API: `POST /v1/payments`, `GET /v1/payments/{payment_id}`."""

from __future__ import annotations

from typing import Any

from assistant.backoffice.client import BaseClient, field, text_field
from assistant.backoffice.payments import NewPayment, Payment


class GovUkPayClient(BaseClient):
    """Raw GOV.UK Pay client (bearer API key)."""

    def create_payment(self, body: dict[str, Any]) -> Any:
        return self.post_json("v1/payments", body)

    def payment(self, payment_id: str) -> Any:
        return self.get(f"v1/payments/{payment_id}")


class GovUkPayPayments:
    """PaymentService over GOV.UK Pay."""

    def __init__(self, client: GovUkPayClient) -> None:
        self.client = client

    def create(self, payment: NewPayment) -> Payment:
        answer = self.client.create_payment(
            {
                "amount": payment.amount_pence,
                "reference": payment.reference,
                "description": payment.description,
                "return_url": payment.return_url,
            }
        )
        return _payment(answer)

    def get(self, payment_id: str) -> Payment:
        return _payment(self.client.payment(payment_id))


def _payment(answer: Any) -> Payment:
    links = field(answer, "_links")
    next_link = links.get("next_url") if isinstance(links, dict) else None
    next_url = next_link.get("href") if isinstance(next_link, dict) else None
    return Payment(
        payment_id=text_field(answer, "payment_id"),
        status=text_field(answer, "state", "status"),
        next_url=next_url if isinstance(next_url, str) else None,
    )
