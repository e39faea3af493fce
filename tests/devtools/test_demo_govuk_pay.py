"""The demo GOV.UK Pay answers as the real one documents (issue 12, item 6): Pay's
status codes and error bodies, Idempotency-Key reuse, and next_url only while the
payment can still be started."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.backoffice.conftest import DemoBackOfficeServer, demo  # noqa: F401 - fixture

BODY = {
    "amount": 1250,
    "reference": "CTAX-1",
    "description": "Council tax",
    "return_url": "https://pay.example.gov.uk/pay/return/abc",
}


def create(
    demo: DemoBackOfficeServer,  # noqa: F811
    body: Any,
    key: str | None = None,
) -> requests.Response:
    headers = {"Authorization": f"Bearer {demo.key('millbrook', 'govuk_pay')}"}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(
        demo.base("millbrook", "pay/v1/payments"), json=body, headers=headers, timeout=5
    )


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"amount": 10_000_001}, 422, "P0102"),
        ({"amount": 0}, 422, "P0102"),
        ({"amount": "12.50"}, 422, "P0102"),
        ({"return_url": "http://pay.example.gov.uk/back"}, 422, "P0102"),
        ({"description": "x" * 256}, 422, "P0102"),
        ({"return_url": None}, 400, "P0101"),
    ],
)
def test_refused_creates_answer_with_pays_codes(
    demo: DemoBackOfficeServer,  # noqa: F811
    change: dict[str, Any],
    status: int,
    code: str,
) -> None:
    body = {k: v for k, v in {**BODY, **change}.items() if v is not None}
    answer = create(demo, body)
    assert answer.status_code == status
    assert answer.json()["code"] == code and answer.json()["description"]


def test_a_reused_key_gives_the_same_payment_and_another_body_is_refused(
    demo: DemoBackOfficeServer,  # noqa: F811
) -> None:
    first = create(demo, BODY, "key-1")
    again = create(demo, BODY, "key-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["payment_id"] == again.json()["payment_id"]
    other = create(demo, {**BODY, "amount": 999}, "key-1")
    assert other.status_code == 422 and other.json()["code"] == "P0191"


def test_next_url_only_while_created_and_unknown_payments_404(
    demo: DemoBackOfficeServer,  # noqa: F811
) -> None:
    made = create(demo, BODY).json()
    assert made["state"] == {"status": "created", "finished": False}
    browser = requests.Session()
    assert browser.get(made["_links"]["next_url"]["href"], timeout=5).status_code == 200
    headers = {"Authorization": f"Bearer {demo.key('millbrook', 'govuk_pay')}"}
    now = requests.get(made["_links"]["self"]["href"], headers=headers, timeout=5).json()
    assert now["state"]["status"] == "started" and "next_url" not in now["_links"]
    missing = requests.get(
        demo.base("millbrook", "pay/v1/payments/nosuchpayment"), headers=headers, timeout=5
    )
    assert missing.status_code == 404 and missing.json()["code"] == "P0200"
