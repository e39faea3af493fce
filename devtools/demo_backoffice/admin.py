"""The simulator's own endpoints: `/health`, `/_admin/faults` and an officer's
status update on a report.

`POST /_admin/faults` with `{"council": id, "mode": "slow"|"down"|"malformed"|
"save_late"|"ok", "delay_seconds": s}` makes that council's systems misbehave, so fault
handling can be shown and tested. "save_late" carries out a write (a POST) and only
answers `delay_seconds` later, after the caller's timeout: the write is made although
the caller never hears so (issue 10, finding 7).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models
from devtools.demo_backoffice.office import BackOffice, Fault, utc_now

FAULT_MODES = ("ok", "slow", "down", "malformed", "save_late")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Admin:
    """Health, faults and status updates over one `BackOffice`."""

    def __init__(self, office: BackOffice) -> None:
        self.office = office

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/health", self.health),
            web.post("/_admin/faults", self.set_fault),
            web.post("/_admin/service-requests/{reference}", self.set_request_status),
        ]

    @web.middleware
    async def fault_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer a council's requests as its current fault says."""
        council = request.match_info.get("council")
        fault = self.office.faults.get(council or "")
        if fault is not None and council not in (None, "_admin"):
            if fault.mode == "slow":
                await asyncio.sleep(fault.delay_seconds)
            elif fault.mode == "down":
                return web.json_response({"error": "service unavailable"}, status=503)
            elif fault.mode == "malformed":
                return web.json_response({"unexpected": "this is not the promised shape"})
            elif fault.mode == "save_late" and request.method == "POST":
                answer = await handler(request)  # saved (committed) ...
                await asyncio.sleep(fault.delay_seconds)  # ... answered too late
                return answer
        return await handler(request)

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
        if council not in self.office.settings or mode not in FAULT_MODES:
            return web.json_response({"error": "unknown council or mode"}, status=400)
        self.office.faults[council] = Fault(mode, delay)
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
        reference = request.match_info["reference"]
        with Session(self.office.engine) as session, session.begin():
            record = session.execute(
                select(models.ServiceRequest).where(models.ServiceRequest.reference == reference)
            ).scalar_one_or_none()
            if record is None:
                return web.json_response({"error": "no such service request"}, status=404)
            record.status, record.status_notes, record.updated = status, notes, utc_now()
        return web.json_response({"reference": reference, "status": status})
