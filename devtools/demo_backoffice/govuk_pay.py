"""GOV.UK Pay: payments a resident finishes on the payment page.

As GOV.UK Pay does, a create with an `Idempotency-Key` already used answers with the
payment that key made, `metadata` is kept and shown, and `GET /v1/payments?reference=`
searches payments by their reference.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models
from devtools.demo_backoffice.office import Vendor, utc_now

PAGE = "<h1>Demo payment page</h1><p>A real council sends residents to GOV.UK Pay.</p>"


class GovUkPay(Vendor):
    adapter = "govuk_pay"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        base = prefix + "/pay"
        return [
            web.post(base + "/v1/payments", self.create),
            web.get(base + "/v1/payments", self.search),
            web.get(base + "/v1/payments/{payment_id}", self.get),
            web.get(base + "/secure/{payment_id}", self.page),
        ]

    async def create(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        try:
            body = await request.json()
            amount, reference = body["amount"], body["reference"]
            description, return_url = body["description"], body["return_url"]
        except (ValueError, KeyError, TypeError):
            return error("P0101", "Missing mandatory attribute")
        if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 10_000_000:
            return error("P0102", "Invalid attribute value: amount")
        key = request.headers.get("Idempotency-Key", "")[:255] or None
        made = self._made_with(council, key) if key else None
        if made is not None:
            return web.json_response(payment_json(request, made), status=201)
        metadata = body.get("metadata")
        payment = models.Payment(
            payment_id=secrets.token_hex(13),
            council=council,
            amount=amount,
            reference=str(reference)[:255],
            description=str(description)[:255],
            return_url=str(return_url),
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

    async def page(self, request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")


def payment_json(request: web.Request, payment: models.Payment) -> dict[str, Any]:
    base = f"{request.scheme}://{request.host}/{payment.council}/pay"
    finished = payment.status not in ("created", "started", "submitted")
    return {
        "amount": payment.amount,
        "description": payment.description,
        "reference": payment.reference,
        "language": "en",
        "payment_id": payment.payment_id,
        "payment_provider": "sandbox",
        "created_date": payment.created.isoformat(timespec="milliseconds") + "Z",
        "return_url": payment.return_url,
        "state": {"status": payment.status, "finished": finished},
        "metadata": json.loads(payment.metadata_json) if payment.metadata_json else {},
        "_links": {
            "self": {"href": f"{base}/v1/payments/{payment.payment_id}", "method": "GET"},
            "next_url": {"href": f"{base}/secure/{payment.payment_id}", "method": "GET"},
        },
    }


def error(code: str, description: str, status: int = 422) -> web.Response:
    return web.json_response({"code": code, "description": description}, status=status)
