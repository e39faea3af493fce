"""RepairDesk: housing repair requests for council tenants' homes."""

from __future__ import annotations

import datetime as dt

from aiohttp import web
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models
from devtools.demo_backoffice.office import Vendor, utc_now


class RepairDesk(Vendor):
    adapter = "repairdesk"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        return [
            web.post(prefix + "/repairdesk/repairs", self.create),
            web.get(prefix + "/repairdesk/repairs/{repair_id}", self.status),
        ]

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
            )
            session.add(repair)
            session.flush()
            repair_id = f"HR{repair.id + 5000}"
        return web.json_response(
            {"repair_id": repair_id, "target_date": target.isoformat()}, status=201
        )
