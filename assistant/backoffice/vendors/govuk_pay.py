"""GOV.UK Pay public API: `POST /v1/payments`, `GET /v1/payments/{payment_id}`,
`GET /v1/payments?reference=...` (search).

The create carries an `Idempotency-Key` (GOV.UK Pay answers a repeated key with the
payment already made), so it is retried as safely as a read: 429 (P0900) and 5xx
answers, and requests that got no answer, are retried a bounded number of times with
a growing pause; other 4xx answers are not. Pay's error codes are logged (the code
and its meaning only, never the request) and kept on the raised error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from assistant.backoffice.client import BaseClient, field, text_field
from assistant.backoffice.errors import (
    BackOfficeError,
    BackOfficeMalformed,
    BackOfficeUnavailable,
    NotFound,
)
from assistant.backoffice.payments import (
    NewPayment,
    Payment,
    PaymentRefused,
    PaymentsBusy,
    check_new_payment,
)

log = logging.getLogger(__name__)

CLIENT_REFERENCE = "client_reference"
ATTEMPTS = 3  # in all, for 429, 5xx and no answer
FIRST_PAUSE = 0.5  # seconds; doubled after each try
# GOV.UK Pay API error codes (docs.payments.service.gov.uk, "API error codes").
ERROR_CODES = {
    "P0101": "missing mandatory attribute",
    "P0102": "invalid attribute value",
    "P0104": "invalid Idempotency-Key",
    "P0191": "Idempotency-Key reused with a different body",
    "P0197": "request body is not valid JSON",
    "P0198": "downstream system error",
    "P0199": "account configuration error",
    "P0200": "payment not found",
    "P0298": "downstream system error",
    "P0900": "too many requests",
    "P0920": "request blocked by security rules",
    "P0999": "GOV.UK Pay is unavailable",
}


class GovUkPayClient(BaseClient):
    """Raw GOV.UK Pay client (bearer API key), with bounded retries."""

    attempts = ATTEMPTS
    first_pause = FIRST_PAUSE
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def create_payment(self, body: dict[str, Any], idempotency_key: str | None = None) -> Any:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self.post_json("v1/payments", body, headers=headers)

    def payment(self, payment_id: str) -> Any:
        return self.get(f"v1/payments/{payment_id}")

    def search(self, reference: str) -> Any:
        return self.get("v1/payments", params={"reference": reference})

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        pause = self.first_pause
        for attempt in range(1, self.attempts + 1):
            try:
                return super().request(method, path, **kwargs)
            except BackOfficeUnavailable:  # 429, 5xx, no connection, no answer
                if attempt == self.attempts:
                    raise
            self.sleep(pause)
            pause *= 2
        raise AssertionError("unreachable")

    def failure(self, what: str, response: requests.Response) -> BackOfficeError:
        code = _error_code(response)
        meaning = ERROR_CODES.get(code or "", "no error code")
        log.warning("GOV.UK Pay answered HTTP %s %s (%s)", response.status_code, code, meaning)
        message = f"{what}: HTTP {response.status_code} {code or ''}".rstrip()
        if response.status_code == 429 or response.status_code >= 500:
            return PaymentsBusy(message, code)
        if response.status_code == 404:
            return NotFound(message)
        return PaymentRefused(message, code)


def _error_code(response: requests.Response) -> str | None:
    """Pay's `code` (P0xxx) from an error body, when it has one."""
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    if isinstance(code, str) and code[:1] == "P" and code[1:].isdigit() and len(code) == 5:
        return code
    return None


class GovUkPayPayments:
    """PaymentService over GOV.UK Pay."""

    def __init__(self, client: GovUkPayClient, allow_http_return: bool = False) -> None:
        self.client = client
        self.allow_http_return = allow_http_return  # the demo's localhost pages only

    def write_seconds(self) -> float:
        """One create's bound: every attempt its timeout, and the pauses between."""
        client = self.client
        pauses = sum(client.first_pause * 2**n for n in range(client.attempts - 1))
        return client.attempts * client.timeout + pauses

    def create(self, payment: NewPayment) -> Payment:
        check_new_payment(payment, self.allow_http_return)
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
    amount = answer.get("amount") if isinstance(answer, dict) else None
    state = field(answer, "state")
    code = state.get("code") if isinstance(state, dict) else None
    return Payment(
        payment_id=text_field(answer, "payment_id"),
        status=text_field(answer, "state", "status"),
        next_url=next_url if isinstance(next_url, str) else None,
        amount_pence=amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
        failure_code=code if isinstance(code, str) else None,
    )
