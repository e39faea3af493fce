"""Open311 GeoReport v2: reports of problems (potholes, missed bins, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models
from devtools.demo_backoffice.office import Vendor, utc_now


class Open311(Vendor):
    adapter = "open311"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        base = prefix + "/open311/v2"
        return [
            web.get(base + "/services.json", self.services),
            web.post(base + "/requests.json", self.create),
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
            )
            session.add(record)
            session.flush()
            record.reference = f"{settings['request_prefix']}{100000 + record.id}"
            reference = record.reference
        return web.json_response(
            [{"service_request_id": reference, "service_notice": "", "account_id": None}],
            status=201,
        )

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


def _coordinate(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def error(code: int, description: str) -> web.Response:
    return web.json_response([{"code": code, "description": description}], status=code)
