"""GOV.UK Pay's public API as the real one answers (docs.payments.service.gov.uk).

Error answers carry Pay's body `{"code": "P0xxx", "description": ...}` and status
(400 P0101 missing attribute, 422 P0102 invalid value, 422 P0191 a reused
Idempotency-Key with another body, 404 P0200 unknown payment). A create with an
`Idempotency-Key` already used answers with the payment that key made; `metadata`
is kept and shown; `GET /v1/payments?reference=` searches. The `next_url` (the card
page, devtools/demo_backoffice/govuk_pay_card.py) is single-use and bound to the
first browser that opens it, and is shown only while the payment is `created`.
"""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import urlparse

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models
from devtools.demo_backoffice.govuk_pay_card import CardPages
from devtools.demo_backoffice.office import Vendor, utc_now

MAX_AMOUNT = 10_000_000
FINISHED = ("success", "failed", "cancelled", "error")
LOCAL_HOSTS = ("localhost", "127.0.0.1")  # the demo's plain-http return pages


class GovUkPay(Vendor):
    adapter = "govuk_pay"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        base = prefix + "/pay"
        card = CardPages(self.office)
        return [
            web.post(base + "/v1/payments", self.create),
            web.get(base + "/v1/payments", self.search),
            web.get(base + "/v1/payments/{payment_id}", self.get),
            web.get(base + "/secure/{payment_id}", card.page),
            web.post(base + "/secure/{payment_id}", card.submit),
        ]

    async def create(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        try:
            body = await request.json()
        except ValueError:
            return error("P0197", "Unable to parse JSON", status=400)
        problem = invalid_create(body)
        if problem is not None:
            return problem
        key = request.headers.get("Idempotency-Key") or None
        if key is not None and not 1 <= len(key) <= 255:
            return error("P0102", "Invalid attribute value: Idempotency-Key", 422)
        made = self._made_with(council, key) if key else None
        if made is not None:
            if (made.amount, made.reference) != (body["amount"], str(body["reference"])):
                return error("P0191", "The Idempotency-Key was used with another request", 422)
            return web.json_response(payment_json(request, made), status=201)
        metadata = body.get("metadata")
        payment = models.Payment(
            payment_id=secrets.token_hex(13),
            council=council,
            amount=body["amount"],
            reference=str(body["reference"]),
            description=str(body["description"]),
            return_url=str(body["return_url"]),
            status="created",
            created=utc_now(whole_seconds=False),
            metadata_json=json.dumps(metadata) if isinstance(metadata, dict) else None,
            idempotency_key=key,
        )
        with Session(self.office.engine) as session, session.begin():
            session.add(payment)
            answer = payment_json(request, payment)
        return web.json_response(answer, status=201)

    def _made_with(self, council: str, key: str) -> models.Payment | None:
        with Session(self.office.engine) as session:
            made = session.execute(
                select(models.Payment).where(
                    models.Payment.council == council, models.Payment.idempotency_key == key
                )
            ).scalar_one_or_none()
            session.expunge_all()
            return made

    async def search(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        reference = request.query.get("reference")
        if not reference:
            return error("P0401", "Missing search parameter: reference", status=400)
        with Session(self.office.engine) as session:
            found = session.execute(
                select(models.Payment).where(
                    models.Payment.council == council, models.Payment.reference == reference
                )
            ).scalars()
            results = [payment_json(request, payment) for payment in found]
        return web.json_response({"total": len(results), "count": len(results), "results": results})

    async def get(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        with Session(self.office.engine) as session:
            payment = session.get(models.Payment, request.match_info["payment_id"])
            if payment is None or payment.council != council:
                return error("P0200", "Not found", status=404)
            return web.json_response(payment_json(request, payment))


def invalid_create(body: Any) -> web.Response | None:
    """Pay's answer to a create body it refuses, else None."""
    if not isinstance(body, dict):
        return error("P0197", "Unable to parse JSON", status=400)
    for name in ("amount", "reference", "description", "return_url"):
        if name not in body:
            return error("P0101", f"Missing mandatory attribute: {name}", status=400)
    amount = body["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int):
        return error("P0102", "Invalid attribute value: amount. Must be a valid numeric format")
    if not 1 <= amount <= MAX_AMOUNT:
        return error(
            "P0102", f"Invalid attribute value: amount. Must be less than or equal to {MAX_AMOUNT}"
        )
    for name in ("reference", "description"):
        if not isinstance(body[name], str) or not 1 <= len(body[name]) <= 255:
            return error("P0102", f"Invalid attribute value: {name}. Must be <= 255 characters")
    url = urlparse(str(body["return_url"]))
    local_http = url.scheme == "http" and url.hostname in LOCAL_HOSTS
    if not (url.scheme == "https" or local_http) or not url.netloc:
        return error("P0102", "Invalid attribute value: return_url. Must be a valid URL format")
    return None


def payment_json(request: web.Request, payment: models.Payment) -> dict[str, Any]:
    base = f"{request.scheme}://{request.host}/{payment.council}/pay"
    state: dict[str, Any] = {"status": payment.status, "finished": payment.status in FINISHED}
    code = CardPages.failure_codes.get(payment.payment_id)
    if payment.status in ("failed", "cancelled", "error") and code is not None:
        state.update(code=code[0], message=code[1])
    links: dict[str, Any] = {
        "self": {"href": f"{base}/v1/payments/{payment.payment_id}", "method": "GET"},
    }
    if payment.status == "created":
        links["next_url"] = {"href": f"{base}/secure/{payment.payment_id}", "method": "GET"}
    return {
        "amount": payment.amount,
        "description": payment.description,
        "reference": payment.reference,
        "language": "en",
        "payment_id": payment.payment_id,
        "payment_provider": "sandbox",
        "created_date": payment.created.isoformat(timespec="milliseconds") + "Z",
        "return_url": payment.return_url,
        "state": state,
        "metadata": json.loads(payment.metadata_json) if payment.metadata_json else {},
        "_links": links,
    }


def error(code: str, description: str, status: int = 422) -> web.Response:
    return web.json_response({"code": code, "description": description}, status=status)
