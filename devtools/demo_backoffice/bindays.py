"""BinDays: the same waste records as WasteCal in another vendor's shape."""

from __future__ import annotations

from aiohttp import web

from assistant.identifiers import normalise_postcode
from devtools.demo_backoffice import records
from devtools.demo_backoffice.office import Vendor


class BinDays(Vendor):
    adapter = "bindays"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        base = prefix + "/bindays/api/v1/property"
        return [web.get(base, self.properties), web.get(base + "/{uprn}/schedule", self.schedule)]

    def _council(self, request: web.Request) -> str:
        return self.check_key(request, request.headers.get("Ocp-Apim-Subscription-Key"))

    async def properties(self, request: web.Request) -> web.Response:
        council = self._council(request)
        postcode = normalise_postcode(request.query.get("postcode", ""))
        if postcode is None:
            return web.json_response({"Message": "Invalid postcode"}, status=400)
        found = records.addresses(self.office.engine, council, postcode)
        return web.json_response([{"UPRN": uprn, "FullAddress": a} for uprn, a in found])

    async def schedule(self, request: web.Request) -> web.Response:
        council = self._council(request)
        day = records.collection_weekday(self.office.engine, council, request.match_info["uprn"])
        if day is None:
            return web.json_response({"Message": "Property not found"}, status=404)
        today = self.office.today()
        schedule = [
            {
                "BinType": b["name"],
                "NextCollection": records.next_collection(today, day, b).strftime("%d/%m/%Y"),
            }
            for b in self.office.settings[council]["bins"]
        ]
        return web.json_response({"Schedule": schedule})
