"""The back-office services the assistant uses and the adapters that can serve each.

`ADAPTERS` is the one registration point: (service, adapter name) -> factory. The
council.yml schema accepts exactly the names in `ADAPTER_NAMES`, derived from it.
Nothing here reads council.yml, so the schema can import it without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.backoffice.street_reports import StreetReportService
from assistant.backoffice.vendors.bindays import BinDaysClient, BinDaysWaste
from assistant.backoffice.vendors.ctaxpro import CTaxProClient, CTaxProCouncilTax
from assistant.backoffice.vendors.govuk_pay import GovUkPayClient, GovUkPayPayments
from assistant.backoffice.vendors.open311 import (
    TOKEN_WAIT_SECONDS,
    Open311Client,
    Open311StreetReports,
)
from assistant.backoffice.vendors.planview import PlanViewClient, PlanViewPlanning
from assistant.backoffice.vendors.repairdesk import RepairDeskClient, RepairDeskRepairs
from assistant.backoffice.vendors.revbase import RevBaseClient, RevBaseCouncilTax
from assistant.backoffice.vendors.wastecal import WasteCalClient, WasteCalWaste

SERVICES = ("council_tax", "waste", "street_reports", "planning", "housing_repairs", "payments")


@dataclass(frozen=True)
class ServiceConfig:
    """One service's integration, address and credentials (the key itself is not kept here)."""

    service: str
    adapter: str
    url: str
    key_env: str
    timeout: float
    options: Mapping[str, Any] = field(default_factory=dict)


def _open311(config: ServiceConfig, key: str) -> StreetReportService:
    options = config.options
    jurisdiction = options.get("jurisdiction_id")
    client = Open311Client(
        config.url,
        key,
        config.timeout,
        fmt=str(options.get("format", "json")),
        jurisdiction_id=str(jurisdiction) if jurisdiction else None,
    )
    return Open311StreetReports(
        client,
        attribute_sources=options.get("attributes"),
        cache_seconds=options.get("cache_seconds"),
        token_wait=float(options.get("token_wait_seconds", TOKEN_WAIT_SECONDS)),
    )


# (service, adapter name) -> factory. A new vendor is one module in vendors/ and one
# entry here; the council.yml schema accepts exactly these names (ADAPTER_NAMES).
ADAPTERS: dict[tuple[str, str], Callable[[ServiceConfig, str], object]] = {
    ("council_tax", "revbase"): lambda c, k: RevBaseCouncilTax(RevBaseClient(c.url, k, c.timeout)),
    ("council_tax", "ctaxpro"): lambda c, k: CTaxProCouncilTax(CTaxProClient(c.url, k, c.timeout)),
    ("waste", "wastecal"): lambda c, k: WasteCalWaste(WasteCalClient(c.url, k, c.timeout)),
    ("waste", "bindays"): lambda c, k: BinDaysWaste(BinDaysClient(c.url, k, c.timeout)),
    ("street_reports", "open311"): _open311,
    ("planning", "planview"): lambda c, k: PlanViewPlanning(PlanViewClient(c.url, k, c.timeout)),
    ("housing_repairs", "repairdesk"): lambda c, k: RepairDeskRepairs(
        RepairDeskClient(c.url, k, c.timeout)
    ),
    ("payments", "govuk_pay"): lambda c, k: GovUkPayPayments(GovUkPayClient(c.url, k, c.timeout)),
}

# service -> the adapter names council.yml may give for it.
ADAPTER_NAMES: dict[str, tuple[str, ...]] = {
    service: tuple(name for (kind, name) in ADAPTERS if kind == service) for service in SERVICES
}
