"""PlanView: planning applications by reference."""

from __future__ import annotations

import datetime as dt

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from devtools.demo_backoffice import models
from devtools.demo_backoffice.office import Vendor


class PlanView(Vendor):
    adapter = "planview"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        return [web.get(prefix + "/planview/applications", self.search)]

    async def search(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        reference = request.query.get("reference", "").strip().upper()
        with Session(self.office.engine) as session:
            rows = session.execute(
                select(models.PlanningApplication).where(
                    models.PlanningApplication.council == council,
                    models.PlanningApplication.reference == reference,
                )
            ).scalars()
            applications = [
                {
                    "reference": row.reference,
                    "site_address": row.site_address,
                    "proposal": row.proposal,
                    "status": row.status,
                    "decision_date": iso(row.decision_date),
                    "target_date": iso(row.target_date),
                }
                for row in rows
            ]
        return web.json_response({"applications": applications})


def iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None
