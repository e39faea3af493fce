"""GOV.UK Pay contract (issue 12, items 3 and 5): answers recorded from Pay's OpenAPI
document and API docs (each fixture names its source) replayed by a local server
against the real client; every request it sends is checked against the recorded
CreateCardPaymentRequest schema."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from aiohttp import web

from assistant.backoffice.errors import NotFound
from assistant.backoffice.payments import (
    NewPayment,
    PaymentInvalid,
    PaymentRefused,
    PaymentsBusy,
)
from assistant.backoffice.vendors.govuk_pay import GovUkPayClient, GovUkPayPayments
from tests.http_server import ServedApp

CONTRACTS = Path(__file__).parent / "contracts" / "govuk_pay"
SCHEMA = json.loads((CONTRACTS / "create_request.schema.json").read_text())
SECRET_REFERENCE = "CTAX-400123456"  # resident data: never in logs
NEW = NewPayment(
    amount_pence=31250,
    reference=SECRET_REFERENCE,
    description="Millbrook council tax, account ******456",
    return_url="https://pay.example.gov.uk/pay/return/abcdefghijklmnopqrstuvwx",
    client_reference="AST-0123456789ABCDEF0123-1",
)


def fixture(name: str) -> dict[str, Any]:
    recorded = json.loads((CONTRACTS / f"{name}.json").read_text())
    assert recorded["source"].startswith("https://"), name
    return recorded


class Replay:
    """Answers each request with the next recorded fixture; keeps what was sent."""

    def __init__(self) -> None:
        self.answers: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        self.requests.append(
            {
                "method": request.method,
                "path": request.path,
                "headers": dict(request.headers),
                "body": body,
            }
        )
        recorded = self.answers.pop(0)
        return web.json_response(recorded["body"], status=recorded["status"])


@pytest.fixture()
def replay() -> Iterator[tuple[Replay, GovUkPayPayments, list[float]]]:
    server = Replay()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    pauses: list[float] = []
    with ServedApp(app) as url:
        client = GovUkPayClient(url, "api_test_key", timeout=5)
        client.sleep = pauses.append  # type: ignore[method-assign]
        yield server, GovUkPayPayments(client), pauses


def check_request(sent: dict[str, Any]) -> None:
    jsonschema.validate(sent["body"], SCHEMA["schema"])
    rules = SCHEMA["metadata_rules"]
    metadata = sent["body"].get("metadata", {})
    assert len(metadata) <= rules["max_keys"]
    for key, value in metadata.items():
        assert rules["key_length"][0] <= len(key) <= rules["key_length"][1]
        assert len(str(value)) <= rules["max_string_value"]


def test_create_sends_a_valid_request_and_reads_the_documented_answer(replay) -> None:
    server, pay, pauses = replay
    server.answers = [fixture("create_201")]
    payment = pay.create(NEW)
    [sent] = server.requests
    check_request(sent)
    assert sent["path"] == "/v1/payments" and sent["method"] == "POST"
    assert sent["headers"]["Idempotency-Key"] == NEW.client_reference
    assert sent["headers"]["Authorization"] == "Bearer api_test_key"
    assert payment.payment_id == "hu20sqlact5260q2nanm0q8u93"
    assert payment.status == "created"
    assert payment.next_url and "/secure/" in payment.next_url
    assert "secure" not in repr(payment)  # next_url is a bearer link: never in logs
    assert pauses == []


def test_get_reads_success_and_a_failure_code(replay) -> None:
    server, pay, _ = replay
    server.answers = [fixture("get_success_200"), fixture("get_failed_200")]
    paid = pay.get("hu20sqlact5260q2nanm0q8u93")
    assert (paid.status, paid.amount_pence, paid.next_url) == ("success", 1200, None)
    failed = pay.get("hu20sqlact5260q2nanm0q8u93")
    assert (failed.status, failed.failure_code) == ("failed", "P0030")
    assert server.requests[0]["path"] == "/v1/payments/hu20sqlact5260q2nanm0q8u93"


def test_429_is_retried_with_growing_pauses_and_the_same_key(replay) -> None:
    server, pay, pauses = replay
    server.answers = [fixture("any_429_P0900"), fixture("any_429_P0900"), fixture("create_201")]
    assert pay.create(NEW).payment_id == "hu20sqlact5260q2nanm0q8u93"
    keys = {sent["headers"]["Idempotency-Key"] for sent in server.requests}
    assert len(server.requests) == 3 and keys == {NEW.client_reference}
    assert pauses == [0.5, 1.0]


def test_5xx_retries_are_bounded(replay) -> None:
    server, pay, pauses = replay
    server.answers = [fixture("any_500_P0198")] * 5
    with pytest.raises(PaymentsBusy) as raised:
        pay.create(NEW)
    assert raised.value.code == "P0198"
    assert len(server.requests) == 3 and len(pauses) == 2


@pytest.mark.parametrize(
    ("name", "code"), [("create_422_P0102", "P0102"), ("create_400_P0101", "P0101")]
)
def test_4xx_is_not_retried_and_its_code_logged_without_resident_data(
    replay, caplog: pytest.LogCaptureFixture, name: str, code: str
) -> None:
    server, pay, pauses = replay
    server.answers = [fixture(name), fixture("create_201")]
    with caplog.at_level(logging.WARNING), pytest.raises(PaymentRefused) as raised:
        pay.create(NEW)
    assert raised.value.code == code
    assert len(server.requests) == 1 and pauses == []
    assert code in caplog.text
    for private in (SECRET_REFERENCE, "******456", NEW.return_url, "api_test_key"):
        assert private not in caplog.text


def test_an_unknown_payment_is_not_found(replay) -> None:
    server, pay, _ = replay
    server.answers = [fixture("get_404_P0200")]
    with pytest.raises(NotFound):
        pay.get("nosuchpayment")


@pytest.mark.parametrize(
    "change",
    [
        {"amount_pence": 0},
        {"amount_pence": 10_000_001},
        {"amount_pence": True},
        {"return_url": "http://pay.example.gov.uk/pay/return/x"},
        {"return_url": "javascript:alert(1)"},
        {"return_url": "https://" + "a" * 2000},
        {"description": "x" * 256},
        {"reference": ""},
    ],
)
def test_invalid_payments_are_refused_before_sending(replay, change: dict[str, Any]) -> None:
    server, pay, _ = replay
    with pytest.raises(PaymentInvalid):
        pay.create(NewPayment(**{**NEW.__dict__, **change}))
    assert server.requests == []


def test_plain_http_return_only_when_allowed(replay) -> None:
    server, pay, _ = replay
    server.answers = [fixture("create_201")]
    local = NewPayment(**{**NEW.__dict__, "return_url": "http://localhost:8075/pay/return/x"})
    with pytest.raises(PaymentInvalid):
        pay.create(local)
    pay.allow_http_return = True
    pay.create(local)
    check_request(server.requests[0])
