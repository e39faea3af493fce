"""The demo back-office HTTP server (aiohttp): every vendor API, per council prefix.

`/{council}/open311/v2/...`, `/{council}/pay/v1/payments`, `/{council}/revbase/...`,
`/{council}/ctaxpro/...`, `/{council}/wastecal/...`, `/{council}/planview/...`,
`/{council}/repairdesk/...`. Each API checks the key the council's configuration
names for it. `POST /_admin/faults` makes one council's systems slow, down or
malformed, so fault handling can be shown and tested.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.identifiers import normalise_postcode
from devtools.demo_backoffice import models

log = logging.getLogger(__name__)

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
FAULT_MODES = ("ok", "slow", "down", "malformed")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Fault:
    """How one council's systems misbehave right now."""

    mode: str = "ok"
    delay_seconds: float = 0.0


class DemoBackOffice:
    """Request handlers over one database, with per-(council, vendor) API keys."""

    def __init__(
        self,
        engine: Engine,
        keys: Mapping[tuple[str, str], str],
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.engine = engine
        self.keys = dict(keys)
        self.today = today
        self.settings = models.fixtures()
        self.faults: dict[str, Fault] = {}

    # --- plumbing ---------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self.fault_middleware])
        council = "/{council}"
        app.add_routes(
            [
                web.get("/health", self.health),
                web.post("/_admin/faults", self.set_fault),
                web.post("/_admin/service-requests/{reference}", self.set_request_status),
                web.get(council + "/open311/v2/services.json", self.open311_services),
                web.post(council + "/open311/v2/requests.json", self.open311_create),
                web.get(council + "/open311/v2/requests/{id}.json", self.open311_request),
                web.post(council + "/pay/v1/payments", self.pay_create),
                web.get(council + "/pay/v1/payments/{payment_id}", self.pay_get),
                web.get(council + "/pay/secure/{payment_id}", self.pay_page),
                web.get(council + "/revbase/accounts/{reference}", self.revbase_account),
                web.get(council + "/ctaxpro/api/Account", self.ctaxpro_account),
                web.get(council + "/wastecal/addresses", self.wastecal_addresses),
                web.get(
                    council + "/wastecal/properties/{uprn}/collections", self.wastecal_collections
                ),
                web.get(council + "/bindays/api/v1/property", self.bindays_properties),
                web.get(
                    council + "/bindays/api/v1/property/{uprn}/schedule", self.bindays_schedule
                ),
                web.get(council + "/planview/applications", self.planview_search),
                web.post(council + "/repairdesk/repairs", self.repairdesk_create),
            ]
        )
        return app

    @web.middleware
    async def fault_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        council = request.match_info.get("council")
        fault = self.faults.get(council or "")
        if fault is not None and council not in (None, "_admin"):
            if fault.mode == "slow":
                await asyncio.sleep(fault.delay_seconds)
            elif fault.mode == "down":
                return web.json_response({"error": "service unavailable"}, status=503)
            elif fault.mode == "malformed":
                return web.json_response({"unexpected": "this is not the promised shape"})
        return await handler(request)

    def _council(self, request: web.Request) -> str:
        council = request.match_info["council"]
        if council not in self.settings:
            raise web.HTTPNotFound(text="no such council")
        return council

    def _check_key(self, request: web.Request, adapter: str, given: str | None) -> str:
        council = self._council(request)
        expected = self.keys.get((council, adapter))
        if not expected or not given or not secrets.compare_digest(expected, given):
            log.warning("rejected %s key for %s", adapter, council)
            raise web.HTTPUnauthorized(
                text='{"error": "invalid API key"}', content_type="application/json"
            )
        return council

    def _bearer(self, request: web.Request, adapter: str) -> str:
        header = request.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else None
        return self._check_key(request, adapter, token)

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def set_fault(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            council, mode = body["council"], body.get("mode", "ok")
            delay = float(body.get("delay_seconds", 0))
        except (ValueError, KeyError, TypeError):
            return web.json_response(
                {"error": f'expected {{"council": id, "mode": one of {FAULT_MODES}}}'}, status=400
            )
        if council not in self.settings or mode not in FAULT_MODES:
            return web.json_response({"error": "unknown council or mode"}, status=400)
        self.faults[council] = Fault(mode, delay)
        return web.json_response({"council": council, "mode": mode, "delay_seconds": delay})

    async def set_request_status(self, request: web.Request) -> web.Response:
        """What a council officer does in the back-office: update a report's status."""
        try:
            body = await request.json()
            status, notes = body["status"], body.get("status_notes")
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": 'expected {"status": "open"|"closed"}'}, status=400)
        if status not in ("open", "closed"):
            return web.json_response({"error": "status must be open or closed"}, status=400)
        with Session(self.engine) as session, session.begin():
            record = session.execute(
                select(models.ServiceRequest).where(
                    models.ServiceRequest.reference == request.match_info["reference"]
                )
            ).scalar_one_or_none()
            if record is None:
                return web.json_response({"error": "no such service request"}, status=404)
            record.status, record.status_notes = status, notes
            record.updated = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
        return web.json_response({"reference": request.match_info["reference"], "status": status})

    # --- Open311 GeoReport v2 -----------------------------------------------------

    def _open311(self, request: web.Request, form: Mapping[str, str] | None = None) -> str:
        key = (form or {}).get("api_key") or request.query.get("api_key")
        return self._check_key(request, "open311", key)

    async def open311_services(self, request: web.Request) -> web.Response:
        council = self._open311(request)
        services = [
            {
                "service_code": s["service_code"],
                "service_name": s["service_name"],
                "description": s["service_name"],
                "metadata": False,
                "type": "realtime",
                "keywords": "",
                "group": s["group"],
            }
            for s in self.settings[council]["services"]
        ]
        return web.json_response(services)

    async def open311_create(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        council = self._open311(request, form)  # type: ignore[arg-type]
        names = {s["service_code"]: s["service_name"] for s in self.settings[council]["services"]}
        code = str(form.get("service_code", ""))
        if code not in names:
            return _open311_error(404, f"service_code {code!r} not found")
        description = str(form.get("description", "")).strip()
        if not description:
            return _open311_error(400, "description is required")
        if not (form.get("address_string") or form.get("address_id") or form.get("lat")):
            return _open311_error(
                400, "a location (address_string, address_id or lat/long) is required"
            )
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
        with Session(self.engine) as session, session.begin():
            record = models.ServiceRequest(
                council=council,
                service_code=code,
                service_name=names[code],
                description=description[:2000],
                address_string=str(form.get("address_string") or "")[:500] or None,
                address_id=str(form.get("address_id") or "") or None,
                status="open",
                status_notes="Received: an officer will inspect it.",
                requested=now,
                updated=now,
            )
            session.add(record)
            session.flush()
            record.reference = f"{self.settings[council]['request_prefix']}{100000 + record.id}"
            reference = record.reference
        return web.json_response(
            [{"service_request_id": reference, "service_notice": "", "account_id": None}],
            status=201,
        )

    async def open311_request(self, request: web.Request) -> web.Response:
        council = self._open311(request)
        with Session(self.engine) as session:
            record = session.execute(
                select(models.ServiceRequest).where(
                    models.ServiceRequest.council == council,
                    models.ServiceRequest.reference == request.match_info["id"],
                )
            ).scalar_one_or_none()
            if record is None:
                return _open311_error(404, "service request not found")
            return web.json_response([_service_request_json(record)])

    # --- GOV.UK Pay -------------------------------------------------------------

    async def pay_create(self, request: web.Request) -> web.Response:
        council = self._bearer(request, "govuk_pay")
        try:
            body = await request.json()
            amount, reference = body["amount"], body["reference"]
            description, return_url = body["description"], body["return_url"]
        except (ValueError, KeyError, TypeError):
            return _pay_error("P0101", "Missing mandatory attribute")
        if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 10_000_000:
            return _pay_error("P0102", "Invalid attribute value: amount")
        payment = models.Payment(
            payment_id=secrets.token_hex(13),
            council=council,
            amount=amount,
            reference=str(reference)[:255],
            description=str(description)[:255],
            return_url=str(return_url),
            status="created",
            created=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
        )
        with Session(self.engine) as session, session.begin():
            session.add(payment)
            answer = self._payment_json(request, payment)
        return web.json_response(answer, status=201)

    async def pay_get(self, request: web.Request) -> web.Response:
        council = self._bearer(request, "govuk_pay")
        with Session(self.engine) as session:
            payment = session.get(models.Payment, request.match_info["payment_id"])
            if payment is None or payment.council != council:
                return _pay_error("P0200", "Not found", status=404)
            return web.json_response(self._payment_json(request, payment))

    async def pay_page(self, request: web.Request) -> web.Response:
        return web.Response(
            text="<h1>Demo payment page</h1><p>A real council sends residents to GOV.UK Pay.</p>",
            content_type="text/html",
        )

    def _payment_json(self, request: web.Request, payment: models.Payment) -> dict[str, Any]:
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
            "_links": {
                "self": {"href": f"{base}/v1/payments/{payment.payment_id}", "method": "GET"},
                "next_url": {"href": f"{base}/secure/{payment.payment_id}", "method": "GET"},
            },
        }

    # --- council tax: RevBase and CTaxPro --------------------------------------

    def _account(self, council: str, reference: str) -> tuple[Any, Any] | None:
        with Session(self.engine) as session:
            account = session.execute(
                select(models.CouncilTaxAccount).where(
                    models.CouncilTaxAccount.council == council,
                    models.CouncilTaxAccount.reference == reference,
                )
            ).scalar_one_or_none()
            if account is None:
                return None
            address = session.get(models.Address, account.uprn)
            session.expunge_all()
            return account, address

    async def revbase_account(self, request: web.Request) -> web.Response:
        council = self._check_key(request, "revbase", request.headers.get("X-Api-Key"))
        found = self._account(council, request.match_info["reference"])
        if found is None:
            return web.json_response({"error": "account not found"}, status=404)
        account, address = found
        instalment = (
            {"due_date": account.next_due.isoformat(), "amount_pence": account.next_amount_pence}
            if account.next_due
            else None
        )
        return web.json_response(
            {
                "account_ref": account.reference,
                "property": {
                    "uprn": address.uprn,
                    "address": address.address,
                    "postcode": address.postcode,
                },
                "balance_pence": account.balance_pence,
                "next_instalment": instalment,
                "discounts": [d for d in account.discounts.split("\n") if d],
            }
        )

    async def ctaxpro_account(self, request: web.Request) -> web.Response:
        council = self._bearer(request, "ctaxpro")
        found = self._account(council, request.query.get("accountNumber", ""))
        if found is None:
            return web.json_response({"Message": "No account found"}, status=404)
        account, address = found
        instalments = (
            [
                {
                    "DueDate": account.next_due.strftime("%d/%m/%Y"),
                    "Amount": _pounds(account.next_amount_pence),
                }
            ]
            if account.next_due
            else []
        )
        return web.json_response(
            {
                "AccountNumber": account.reference,
                "PropertyAddress": address.address,
                "PropertyPostcode": address.postcode,
                "BalanceOutstanding": _pounds(account.balance_pence),
                "Instalments": instalments,
                "Reliefs": [{"Description": d} for d in account.discounts.split("\n") if d],
            }
        )

    # --- waste: WasteCal ----------------------------------------------------------

    async def wastecal_addresses(self, request: web.Request) -> web.Response:
        council = self._bearer(request, "wastecal")
        postcode = normalise_postcode(request.query.get("postcode", ""))
        if postcode is None:
            return web.json_response({"error": "postcode is not valid"}, status=400)
        with Session(self.engine) as session:
            rows = session.execute(
                select(models.Address)
                .where(models.Address.council == council, models.Address.postcode == postcode)
                .order_by(models.Address.address)
            ).scalars()
            return web.json_response(
                {"addresses": [{"uprn": row.uprn, "address": row.address} for row in rows]}
            )

    async def wastecal_collections(self, request: web.Request) -> web.Response:
        council = self._bearer(request, "wastecal")
        with Session(self.engine) as session:
            address = session.get(models.Address, request.match_info["uprn"])
            if address is None or address.council != council:
                return web.json_response({"error": "property not found"}, status=404)
            day = WEEKDAYS.index(address.collection_day)
        return web.json_response(
            {
                "collections": [
                    {"bin": b["name"], "next_date": self._next(day, b).isoformat()}
                    for b in self.settings[council]["bins"]
                ]
            }
        )

    # --- waste: BinDays (a different shape of the same records) ---------------------

    async def bindays_properties(self, request: web.Request) -> web.Response:
        council = self._check_key(
            request, "bindays", request.headers.get("Ocp-Apim-Subscription-Key")
        )
        postcode = normalise_postcode(request.query.get("postcode", ""))
        if postcode is None:
            return web.json_response({"Message": "Invalid postcode"}, status=400)
        with Session(self.engine) as session:
            rows = session.execute(
                select(models.Address)
                .where(models.Address.council == council, models.Address.postcode == postcode)
                .order_by(models.Address.address)
            ).scalars()
            return web.json_response([{"UPRN": r.uprn, "FullAddress": r.address} for r in rows])

    async def bindays_schedule(self, request: web.Request) -> web.Response:
        council = self._check_key(
            request, "bindays", request.headers.get("Ocp-Apim-Subscription-Key")
        )
        with Session(self.engine) as session:
            address = session.get(models.Address, request.match_info["uprn"])
            if address is None or address.council != council:
                return web.json_response({"Message": "Property not found"}, status=404)
            day = WEEKDAYS.index(address.collection_day)
        schedule = [
            {"BinType": b["name"], "NextCollection": self._next(day, b).strftime("%d/%m/%Y")}
            for b in self.settings[council]["bins"]
        ]
        return web.json_response({"Schedule": schedule})

    def _next(self, weekday: int, bin_: Mapping[str, Any]) -> dt.date:
        today = self.today()
        date = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
        every, offset = int(bin_["every_weeks"]), int(bin_.get("offset_weeks", 0))
        while (date.isocalendar()[1] + offset) % every:
            date += dt.timedelta(days=7)
        return date

    # --- planning: PlanView ---------------------------------------------------------

    async def planview_search(self, request: web.Request) -> web.Response:
        council = self._bearer(request, "planview")
        reference = request.query.get("reference", "").strip().upper()
        with Session(self.engine) as session:
            rows = session.execute(
                select(models.PlanningApplication).where(
                    models.PlanningApplication.council == council,
                    models.PlanningApplication.reference == reference,
                )
            ).scalars()
            return web.json_response(
                {
                    "applications": [
                        {
                            "reference": row.reference,
                            "site_address": row.site_address,
                            "proposal": row.proposal,
                            "status": row.status,
                            "decision_date": _iso(row.decision_date),
                            "target_date": _iso(row.target_date),
                        }
                        for row in rows
                    ]
                }
            )

    # --- housing repairs: RepairDesk --------------------------------------------------

    async def repairdesk_create(self, request: web.Request) -> web.Response:
        council = self._bearer(request, "repairdesk")
        try:
            body = await request.json()
            uprn, description = str(body["uprn"]), str(body["description"]).strip()
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "uprn and description are required"}, status=400)
        if not description:
            return web.json_response({"error": "description is required"}, status=400)
        target = self.today() + dt.timedelta(days=20)
        with Session(self.engine) as session, session.begin():
            address = session.get(models.Address, uprn)
            if address is None or address.council != council:
                return web.json_response({"error": "property not found"}, status=404)
            repair = models.Repair(
                council=council,
                uprn=uprn,
                description=description[:2000],
                priority=str(body.get("priority", "routine")),
                created=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                target_date=target,
            )
            session.add(repair)
            session.flush()
            repair_id = f"HR{repair.id + 5000}"
        return web.json_response(
            {"repair_id": repair_id, "target_date": target.isoformat()}, status=201
        )


def _service_request_json(record: models.ServiceRequest) -> dict[str, Any]:
    return {
        "service_request_id": record.reference,
        "status": record.status,
        "status_notes": record.status_notes,
        "service_name": record.service_name,
        "service_code": record.service_code,
        "description": record.description,
        "agency_responsible": None,
        "service_notice": None,
        "requested_datetime": record.requested.isoformat() + "Z",
        "updated_datetime": record.updated.isoformat() + "Z",
        "expected_datetime": None,
        "address": record.address_string,
        "address_id": record.address_id,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _open311_error(code: int, description: str) -> web.Response:
    return web.json_response([{"code": code, "description": description}], status=code)


def _pay_error(code: str, description: str, status: int = 422) -> web.Response:
    return web.json_response({"code": code, "description": description}, status=status)


def _pounds(pence: int) -> str:
    return f"{pence / 100:.2f}"


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None
