"""GOV.UK Pay public API: `POST /v1/payments`, `GET /v1/payments/{payment_id}`,
`GET /v1/payments?reference=...` (search).

Our client reference is the `Idempotency-Key` of the create (GOV.UK Pay answers a
repeated key with the payment already made) and is kept in the payment's `metadata`,
so that a search by the payment's reference finds it.
"""

from __future__ import annotations

from typing import Any

from assistant.backoffice.client import BaseClient, field, text_field
from assistant.backoffice.errors import BackOfficeMalformed
from assistant.backoffice.payments import NewPayment, Payment

CLIENT_REFERENCE = "client_reference"


class GovUkPayClient(BaseClient):
    """Raw GOV.UK Pay client (bearer API key)."""

    def create_payment(self, body: dict[str, Any], idempotency_key: str | None = None) -> Any:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self.post_json("v1/payments", body, headers=headers)

    def payment(self, payment_id: str) -> Any:
        return self.get(f"v1/payments/{payment_id}")

    def search(self, reference: str) -> Any:
        return self.get("v1/payments", params={"reference": reference})


class GovUkPayPayments:
    """PaymentService over GOV.UK Pay."""

    def __init__(self, client: GovUkPayClient) -> None:
        self.client = client

    def create(self, payment: NewPayment) -> Payment:
        body: dict[str, Any] = {
            "amount": payment.amount_pence,
            "reference": payment.reference,
            "description": payment.description,
            "return_url": payment.return_url,
        }
        if payment.client_reference:
            body["metadata"] = {CLIENT_REFERENCE: payment.client_reference}
        return _payment(self.client.create_payment(body, payment.client_reference))

    def find(self, client_reference: str, reference: str) -> Payment | None:
        results = field(self.client.search(reference), "results")
        if not isinstance(results, list):
            raise BackOfficeMalformed("results is not a list")
        for result in results:
            metadata = result.get("metadata") if isinstance(result, dict) else None
            if isinstance(metadata, dict) and metadata.get(CLIENT_REFERENCE) == client_reference:
                return _payment(result)
        return None

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
