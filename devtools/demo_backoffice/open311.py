"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/): reports of problems.

Behaves as real UK servers do (mySociety's open311-adapter), per council from the
`open311` section of its demo.yml:

```yaml
open311:
  format: xml            # json (default) or xml: the only format served
  tokens: true           # POST answers with a token; tokens/{token} gives the id
  token_delay_seconds: 0 # how long a token has no id yet
  required_attributes: [easting, northing, fixmystreet_id]
  service_notice: ...    # said with every new request
```
Services with required attributes have `metadata: true` and a definition; a POST
without them is answered `400` with an errors array. GETs need no key (the spec's
"Requires API Key: No"); a POST with a wrong key is answered `403`. Like servers that
keep a client's attribute, a request carrying our client reference is filed once,
and `GET requests.{fmt}?attribute[client_reference]=...` finds it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.backoffice.vendors.open311_wire import encode
from devtools.demo_backoffice import models
from devtools.demo_backoffice.office import Vendor, utc_now

CLIENT_REFERENCE_CODES = ("client_reference", "fixmystreet_id")
FMT = "{fmt:json|xml}"
ATTRIBUTE_TYPES = {"easting": "number", "northing": "number"}


class Open311(Vendor):
    adapter = "open311"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        base = prefix + "/open311/v2"
        return [
            web.get(f"{base}/services.{FMT}", self.services),
            web.get(base + "/services/{code:[^/]+?}." + FMT, self.definition),
            web.post(f"{base}/requests.{FMT}", self.create),
            web.get(f"{base}/requests.{FMT}", self.search),
            web.get(base + "/requests/{id:[^/]+?}." + FMT, self.request),
            web.get(base + "/tokens/{token:[^/]+?}." + FMT, self.token),
        ]

    def mode(self, council: str) -> Mapping[str, Any]:
        return self.office.settings[council].get("open311") or {}

    def _council(self, request: web.Request) -> str:
        """The council, when the request's format is one it serves; else 400."""
        council = self.office.council(request)
        fmt = request.match_info["fmt"]
        if fmt != self.mode(council).get("format", "json"):
            unsupported = [_error(400, f"format {fmt} is not supported")]
            raise web.HTTPBadRequest(body=encode(unsupported, fmt, "errors"))
        return council

    async def services(self, request: web.Request) -> web.Response:
        council = self._council(request)
        metadata = bool(self.mode(council).get("required_attributes"))
        services = [
            {
                "service_code": s["service_code"],
                "service_name": s["service_name"],
                "description": s["service_name"],
                "metadata": metadata,
                "type": "batch" if self.mode(council).get("tokens") else "realtime",
                "keywords": "",
                "group": s["group"],
            }
            for s in self.office.settings[council]["services"]
        ]
        return reply(request, services, root="services")

    async def definition(self, request: web.Request) -> web.Response:
        council = self._council(request)
        code = request.match_info["code"]
        if code not in self._names(council):
            return reply(request, [_error(404, f"service_code {code} not found")], 404)
        attributes = [
            {
                "variable": False,
                "code": name,
                "datatype": ATTRIBUTE_TYPES.get(name, "string"),
                "required": True,
                "datatype_description": "",
                "order": order,
                "description": name,
            }
            for order, name in enumerate(self.mode(council).get("required_attributes", []), 1)
        ]
        body = {"service_code": code, "attributes": attributes}
        return reply(request, body, root="service_definition")

    def _names(self, council: str) -> dict[str, str]:
        services = self.office.settings[council]["services"]
        return {s["service_code"]: s["service_name"] for s in services}

    def _refusal(self, council: str, form: Mapping[str, str]) -> tuple[int, str] | None:
        """Why the POST is refused, as open311-adapter would answer; None when it is not."""
        expected = self.office.keys.get((council, self.adapter))
        given = form.get("api_key", "")
        if not expected or not secrets.compare_digest(expected.encode(), given.encode()):
            return 403, "Invalid api_key received -- can't proceed with create_request."
        code = form.get("service_code", "")
        if code not in self._names(council):
            return 404, f"Service {code!r} not found"
        if not form.get("description", "").strip():
            return 400, "Error in input: description is required"
        if not (form.get("address_string") or form.get("address_id") or form.get("lat")):
            return 400, "Error in input: a location (address_string, address_id or lat) is required"
        for name in self.mode(council).get("required_attributes", []):
            if not form.get(f"attribute[{name}]", "").strip():
                return 400, f"Error in input: attribute {name} is required"
        return None

    async def create(self, request: web.Request) -> web.Response:
        council = self._council(request)
        form = {key: str(value) for key, value in (await request.post()).items()}
        refusal = self._refusal(council, form)
        if refusal is not None:
            return reply(request, [_error(*refusal)], refusal[0])
        client_reference = _client_reference(form)
        filed = self._filed(council, client_reference)
        record = filed or self._insert(council, form, client_reference)
        if self.mode(council).get("tokens"):
            answer = {"token": record.token}
        else:
            answer = {"service_request_id": record.reference}
        answer |= {"service_notice": self._notice(council), "account_id": ""}
        return reply(request, [answer], 201, root="service_requests")

    def _notice(self, council: str) -> str:
        return str(self.mode(council).get("service_notice") or "")

    def _insert(
        self, council: str, form: Mapping[str, str], client_reference: str | None
    ) -> models.ServiceRequest:
        settings = self.office.settings[council]
        code = form["service_code"]
        now = utc_now()
        token = secrets.token_hex(8) if self.mode(council).get("tokens") else None
        with Session(self.office.engine, expire_on_commit=False) as session, session.begin():
            record = models.ServiceRequest(
                council=council,
                service_code=code,
                service_name=self._names(council)[code],
                description=form["description"].strip()[:2000],
                address_string=form.get("address_string", "")[:500] or None,
                address_id=form.get("address_id") or None,
                lat=_number(form.get("lat")),
                long=_number(form.get("long")),
                easting=_number(form.get("attribute[easting]")),
                northing=_number(form.get("attribute[northing]")),
                status="open",
                status_notes="Received: an officer will inspect it.",
                requested=now,
                updated=now,
                client_reference=client_reference,
                token=token,
            )
            session.add(record)
            session.flush()
            record.reference = f"{settings['request_prefix']}{100000 + record.id}"
        return record

    def _filed(self, council: str, client_reference: str | None) -> models.ServiceRequest | None:
        """The council's request with `client_reference`, if any."""
        if client_reference is None:
            return None
        with Session(self.office.engine, expire_on_commit=False) as session:
            return session.execute(
                select(models.ServiceRequest).where(
                    models.ServiceRequest.council == council,
                    models.ServiceRequest.client_reference == client_reference,
                )
            ).scalar_one_or_none()

    async def token(self, request: web.Request) -> web.Response:
        """GET tokens/{token}: the id once the request has one (an empty list before)."""
        council = self._council(request)
        token = request.match_info["token"]
        with Session(self.office.engine) as session:
            found = session.execute(
                select(models.ServiceRequest.reference, models.ServiceRequest.requested).where(
                    models.ServiceRequest.council == council, models.ServiceRequest.token == token
                )
            ).first()
        if found is None:
            return reply(request, [_error(404, "token not found")], 404)
        delay = dt.timedelta(seconds=float(self.mode(council).get("token_delay_seconds", 0)))
        if utc_now() < found.requested + delay:
            return reply(request, [], root="service_requests")
        answer = [{"service_request_id": found.reference, "token": token}]
        return reply(request, answer, root="service_requests")

    async def search(self, request: web.Request) -> web.Response:
        """GET requests.{fmt}, by our client reference only (no listing of everything)."""
        council = self._council(request)
        client_reference = request.query.get("attribute[client_reference]")
        if not client_reference:
            return reply(request, [_error(400, "attribute[client_reference] is required")], 400)
        record = self._filed(council, client_reference)
        found = [service_request_json(record)] if record is not None else []
        return reply(request, found, root="service_requests")

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
                return reply(request, [_error(404, "service request not found")], 404)
            return reply(request, [service_request_json(record)], root="service_requests")


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


def reply(request: web.Request, data: Any, status: int = 200, root: str = "errors") -> web.Response:
    """`data` in the request's format (the errors array's root unless told)."""
    fmt = request.match_info.get("fmt", "json")
    content_type = "application/json" if fmt == "json" else "text/xml"
    return web.Response(body=encode(data, fmt, root), status=status, content_type=content_type)


def _error(code: int, description: str) -> dict[str, Any]:
    return {"code": code, "description": description}


def _client_reference(form: Mapping[str, str]) -> str | None:
    for code in CLIENT_REFERENCE_CODES:
        value = form.get(f"attribute[{code}]", "").strip()
        if value:
            return value[:64]
    return None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
