"""Open311 GeoReport v2: reports of problems (potholes, missed bins, ...).

Like servers that keep a client's attribute, a request carrying
`attribute[client_reference]` is filed once: a repeat answers with the request
already filed, and `GET requests.json?attribute[client_reference]=...` finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models
from devtools.demo_backoffice.office import Vendor, utc_now

CLIENT_REFERENCE = "attribute[client_reference]"


class Open311(Vendor):
    adapter = "open311"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        base = prefix + "/open311/v2"
        return [
            web.get(base + "/services.json", self.services),
            web.post(base + "/requests.json", self.create),
            web.get(base + "/requests.json", self.search),
            web.get(base + "/requests/{id}.json", self.request),
        ]

    def _council(self, request: web.Request, form: Mapping[str, str] | None = None) -> str:
        return self.check_key(request, (form or {}).get("api_key") or request.query.get("api_key"))

    async def services(self, request: web.Request) -> web.Response:
        council = self._council(request)
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
            for s in self.office.settings[council]["services"]
        ]
        return web.json_response(services)

    async def create(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        council = self._council(request, form)
        settings = self.office.settings[council]
        names = {s["service_code"]: s["service_name"] for s in settings["services"]}
        code = form.get("service_code", "")
        if code not in names:
            return error(404, f"service_code {code!r} not found")
        description = form.get("description", "").strip()
        if not description:
            return error(400, "description is required")
        if not (form.get("address_string") or form.get("address_id") or form.get("lat")):
            return error(400, "a location (address_string, address_id or lat/long) is required")
        client_reference = form.get(CLIENT_REFERENCE, "")[:64] or None
        filed = self._filed(council, client_reference)
        if filed is not None:
            return created(filed)
        now = utc_now()
        with Session(self.office.engine) as session, session.begin():
            record = models.ServiceRequest(
                council=council,
                service_code=code,
                service_name=names[code],
                description=description[:2000],
                address_string=form.get("address_string", "")[:500] or None,
                address_id=form.get("address_id") or None,
                lat=_coordinate(form.get("lat")),
                long=_coordinate(form.get("long")),
                status="open",
                status_notes="Received: an officer will inspect it.",
                requested=now,
                updated=now,
                client_reference=client_reference,
            )
            session.add(record)
            session.flush()
            record.reference = f"{settings['request_prefix']}{100000 + record.id}"
            reference = record.reference
        return created(reference)

    def _filed(self, council: str, client_reference: str | None) -> str | None:
        """The reference of the council's request with `client_reference`, if any."""
        if client_reference is None:
            return None
        with Session(self.office.engine) as session:
            return session.execute(
                select(models.ServiceRequest.reference).where(
                    models.ServiceRequest.council == council,
                    models.ServiceRequest.client_reference == client_reference,
                )
            ).scalar_one_or_none()

    async def search(self, request: web.Request) -> web.Response:
        """GET requests.json, by our client reference only (no listing of everything)."""
        council = self._council(request)
        client_reference = request.query.get(CLIENT_REFERENCE)
        if not client_reference:
            return error(400, f"{CLIENT_REFERENCE} is required")
        with Session(self.office.engine) as session:
            records = session.execute(
                select(models.ServiceRequest).where(
                    models.ServiceRequest.council == council,
                    models.ServiceRequest.client_reference == client_reference,
                )
            ).scalars()
            return web.json_response([service_request_json(record) for record in records])

    async def request(self, request: web.Request) -> web.Response:
        council = self._council(request)
        with Session(self.office.engine) as session:
            record = session.execute(
                select(models.ServiceRequest).where(
                    models.ServiceRequest.council == council,
                    models.ServiceRequest.reference == request.match_info["id"],
                )
            ).scalar_one_or_none()
            if record is None:
                return error(404, "service request not found")
            return web.json_response([service_request_json(record)])


def service_request_json(record: models.ServiceRequest) -> dict[str, Any]:
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
        "lat": record.lat,
        "long": record.long,
        "media_url": None,
    }


def created(reference: str) -> web.Response:
    return web.json_response(
        [{"service_request_id": reference, "service_notice": "", "account_id": None}],
        status=201,
    )


def _coordinate(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def error(code: int, description: str) -> web.Response:
    return web.json_response([{"code": code, "description": description}], status=code)
