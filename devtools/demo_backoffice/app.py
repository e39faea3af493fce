"""The demo back-office HTTP server (aiohttp): every simulated vendor's API, per council.

`/{council}/open311/v2/...`, `/{council}/pay/v1/payments`, `/{council}/revbase/...`,
`/{council}/ctaxpro/...`, `/{council}/wastecal/...`, `/{council}/bindays/...`,
`/{council}/planview/...`, `/{council}/repairdesk/...`. Each API checks the key the
council's configuration names for it. A new simulated vendor is a module with a
`Vendor` subclass and one line in VENDORS.
"""

from __future__ import annotations

from aiohttp import web

from devtools.demo_backoffice.admin import Admin
from devtools.demo_backoffice.bindays import BinDays
from devtools.demo_backoffice.ctaxpro import CTaxPro
from devtools.demo_backoffice.govuk_pay import GovUkPay
from devtools.demo_backoffice.office import BackOffice, Vendor
from devtools.demo_backoffice.open311 import Open311
from devtools.demo_backoffice.planview import PlanView
from devtools.demo_backoffice.repairdesk import RepairDesk
from devtools.demo_backoffice.revbase import RevBase
from devtools.demo_backoffice.wastecal import WasteCal

VENDORS: tuple[type[Vendor], ...] = (
    Open311,
    GovUkPay,
    RevBase,
    CTaxPro,
    WasteCal,
    BinDays,
    PlanView,
    RepairDesk,
)


class DemoBackOffice(BackOffice):
    """The simulator: every vendor in VENDORS under each council's prefix."""

    def app(self) -> web.Application:
        admin = Admin(self)
        app = web.Application(middlewares=[admin.fault_middleware])
        app.add_routes(admin.routes())
        for vendor in VENDORS:
            app.add_routes(vendor(self).routes("/{council}"))
        return app
