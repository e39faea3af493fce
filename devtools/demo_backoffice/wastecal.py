"""WasteCal: addresses by postcode and each property's next collections."""

from __future__ import annotations

from aiohttp import web

from assistant.identifiers import normalise_postcode
from devtools.demo_backoffice import records
from devtools.demo_backoffice.office import Vendor


class WasteCal(Vendor):
    adapter = "wastecal"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        return [
            web.get(prefix + "/wastecal/addresses", self.addresses),
            web.get(prefix + "/wastecal/properties/{uprn}/collections", self.collections),
        ]

    async def addresses(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        postcode = normalise_postcode(request.query.get("postcode", ""))
        if postcode is None:
            return web.json_response({"error": "postcode is not valid"}, status=400)
        found = records.addresses(self.office.engine, council, postcode)
        return web.json_response(
            {"addresses": [{"uprn": uprn, "address": address} for uprn, address in found]}
        )

    async def collections(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        day = records.collection_weekday(self.office.engine, council, request.match_info["uprn"])
        if day is None:
            return web.json_response({"error": "property not found"}, status=404)
        today = self.office.today()
        collections = [
            {"bin": b["name"], "next_date": records.next_collection(today, day, b).isoformat()}
            for b in self.office.settings[council]["bins"]
        ]
        return web.json_response({"collections": collections})
