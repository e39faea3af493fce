"""CTaxPro: council tax accounts in another shape (pounds, UK dates, PascalCase)."""

from __future__ import annotations

from aiohttp import web

from devtools.demo_backoffice import records
from devtools.demo_backoffice.office import Vendor


class CTaxPro(Vendor):
    adapter = "ctaxpro"

    def routes(self, prefix: str) -> list[web.RouteDef]:
        return [web.get(prefix + "/ctaxpro/api/Account", self.account)]

    async def account(self, request: web.Request) -> web.Response:
        council = self.bearer(request)
        reference = request.query.get("accountNumber", "")
        found = records.council_tax_account(self.office.engine, council, reference)
        if found is None:
            return web.json_response({"Message": "No account found"}, status=404)
        account, address = found
        instalments = (
            [
                {
                    "DueDate": account.next_due.strftime("%d/%m/%Y"),
                    "Amount": pounds(account.next_amount_pence),
                }
            ]
            if account.next_due
            else []
        )
        return web.json_response(
            {
                "AccountNumber": account.reference,
                "PropertyAddress": address.address,
                "PropertyPostcode": address.postcode,
                "BalanceOutstanding": pounds(account.balance_pence),
                "Instalments": instalments,
                "Reliefs": [{"Description": d} for d in account.discounts.split("\n") if d],
            }
        )


def pounds(pence: int) -> str:
    return f"{pence / 100:.2f}"
