"""A local stand-in for postcodes.io, answering as its documentation shows
(https://postcodes.io/docs): `GET /postcodes/{pc}` and `GET /terminated_postcodes/{pc}`."""

from __future__ import annotations

from typing import Any

from aiohttp import web

# As the documented example for BR8 7RE (trimmed to the fields a client reads and a few more).
BR8_7RE: dict[str, Any] = {
    "postcode": "BR8 7RE",
    "quality": 1,
    "eastings": 551626,
    "northings": 170342,
    "country": "England",
    "longitude": 0.178871,
    "latitude": 51.411831,
    "admin_district": "Sevenoaks",
    "admin_county": "Kent",
    "admin_ward": "Hextable",
    "codes": {
        "admin_district": "E07000111",
        "admin_county": "E10000016",
        "admin_ward": "E05009963",
        "parish": "E04005100",
    },
}
# A unitary area: postcodes.io gives the pseudo county code E99999999.
SW1A_1AA: dict[str, Any] = {
    "postcode": "SW1A 1AA",
    "eastings": 529090,
    "northings": 179645,
    "longitude": -0.141588,
    "latitude": 51.501009,
    "admin_district": "Westminster",
    "admin_county": None,
    "codes": {"admin_district": "E09000033", "admin_county": "E99999999"},
}
TERMINATED = {
    "MQ5 9XX": {
        "postcode": "MQ5 9XX",
        "year_terminated": 2019,
        "month_terminated": 6,
        "longitude": -0.7963,
        "latitude": 51.4152,
    }
}


def app(places: dict[str, dict[str, Any]] | None = None) -> web.Application:
    """The fake service; `places` adds postcodes (canonical form -> result)."""
    known = {"BR8 7RE": BR8_7RE, "SW1A 1AA": SW1A_1AA, **(places or {})}
    compact = {key.replace(" ", ""): value for key, value in known.items()}
    gone = {key.replace(" ", ""): value for key, value in TERMINATED.items()}
    requests: list[str] = []

    async def postcode(request: web.Request) -> web.Response:
        requests.append(request.path)
        found = compact.get(request.match_info["pc"].replace(" ", "").upper())
        if found is None:
            return web.json_response({"status": 404, "error": "Postcode not found"}, status=404)
        return web.json_response({"status": 200, "result": found})

    async def terminated(request: web.Request) -> web.Response:
        found = gone.get(request.match_info["pc"].replace(" ", "").upper())
        if found is None:
            body = {"status": 404, "error": "Terminated postcode not found"}
            return web.json_response(body, status=404)
        return web.json_response({"status": 200, "result": found})

    application = web.Application()
    application["requests"] = requests
    application.add_routes(
        [
            web.get("/postcodes/{pc}", postcode),
            web.get("/terminated_postcodes/{pc}", terminated),
        ]
    )
    return application
