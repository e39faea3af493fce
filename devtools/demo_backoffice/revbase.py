"""RevBase: council tax accounts (amounts in pence, ISO dates)."""

from __future__ import annotations

from aiohttp import web

from devtools.demo_backoffice import records
from devtools.demo_backoffice.office import Vendor


class RevBase(Vendor):
    adapter = "revbase"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        return [web.get(prefix + "/revbase/accounts/{reference}", self.account)]

    async def account(self, request: web.Request) -> web.Response:
        council = self.check_key(request, request.headers.get("X-Api-Key"))
        found = records.council_tax_account(
            self.office.engine, council, request.match_info["reference"]
        )
        if found is None:
            return web.json_response({"error": "account not found"}, status=404)
        account, address = found
        instalment = (
            {"due_date": account.next_due.isoformat(), "amount_pence": account.next_amount_pence}
            if account.next_due
            else None
        )
        return web.json_response(
            {
                "account_ref": account.reference,
                "property": {
                    "uprn": address.uprn,
                    "address": address.address,
                    "postcode": address.postcode,
                },
                "balance_pence": account.balance_pence,
                "next_instalment": instalment,
                "discounts": [d for d in account.discounts.split("\n") if d],
            }
        )
