"""RepairDesk: housing repair requests for council tenants' homes.

A repeated `client_reference` answers with the repair already logged, and
`GET repairs?client_reference=...` finds it.
"""

from __future__ import annotations

import datetime as dt

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models
from devtools.demo_backoffice.office import Vendor, utc_now


class RepairDesk(Vendor):
    adapter = "repairdesk"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        return [
            web.post(prefix + "/repairdesk/repairs", self.create),
            web.post(prefix + "/repairdesk/tenancy-checks", self.check_tenancy),
            web.get(prefix + "/repairdesk/repairs", self.search),
            web.get(prefix + "/repairdesk/repairs/{repair_id}", self.status),
        ]

    async def check_tenancy(self, request: web.Request) -> web.Response:
        """Whether a tenancy reference is for a home: only yes or no, never which is wrong."""
        council = self.bearer(request)
        try:
            body = await request.json()
            reference, uprn = str(body["tenancy_ref"]).strip().upper(), str(body["uprn"])
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "tenancy_ref and uprn are required"}, status=400)
        with Session(self.office.engine) as session:
            tenancy = session.get(models.Tenancy, reference)
            match = tenancy is not None and tenancy.council == council and tenancy.uprn == uprn
        return web.json_response({"match": match})

    async def status(self, request: web.Request) -> web.Response:
        """A repair's status: open until its target date has passed."""
        council = self.bearer(request)
        number = request.match_info["repair_id"].upper().removeprefix("HR")
        repair = None
        if number.isdigit():
            with Session(self.office.engine) as session:
                repair = session.get(models.Repair, int(number) - 5000)
        if repair is None or repair.council != council:
            return web.json_response({"error": "repair not found"}, status=404)
        done = repair.target_date < self.office.today()
        return web.json_response(
            {
                "repair_id": f"HR{repair.id + 5000}",
                "status": "closed" if done else "open",
                "target_date": repair.target_date.isoformat(),
            }
        )

    async def create(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        try:
            body = await request.json()
            uprn, description = str(body["uprn"]), str(body["description"]).strip()
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "uprn and description are required"}, status=400)
        if not description:
            return web.json_response({"error": "description is required"}, status=400)
        client_reference = str(body.get("client_reference") or "")[:64] or None
        logged = self._logged(council, client_reference) if client_reference else []
        if logged:
            return web.json_response(logged[0], status=201)
        target = self.office.today() + dt.timedelta(days=20)
        with Session(self.office.engine) as session, session.begin():
            address = session.get(models.Address, uprn)
            if address is None or address.council != council:
                return web.json_response({"error": "property not found"}, status=404)
            repair = models.Repair(
                council=council,
                uprn=uprn,
                description=description[:2000],
                priority=str(body.get("priority", "routine")),
                created=utc_now(whole_seconds=False),
                target_date=target,
                client_reference=client_reference,
            )
            session.add(repair)
            session.flush()
            answer = repair_json(repair)
        return web.json_response(answer, status=201)

    async def search(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        client_reference = request.query.get("client_reference")
        if not client_reference:
            return web.json_response({"error": "client_reference is required"}, status=400)
        return web.json_response({"repairs": self._logged(council, client_reference)})

    def _logged(self, council: str, client_reference: str) -> list[dict[str, str]]:
        with Session(self.office.engine) as session:
            repairs = session.execute(
                select(models.Repair).where(
                    models.Repair.council == council,
                    models.Repair.client_reference == client_reference,
                )
            ).scalars()
            return [repair_json(repair) for repair in repairs]


def repair_json(repair: models.Repair) -> dict[str, str]:
    return {"repair_id": f"HR{repair.id + 5000}", "target_date": repair.target_date.isoformat()}
