"""The back-office services the assistant uses and the adapters that can serve each.

Plain data with no imports, so the council.yml schema can check adapter names
without loading any vendor code. `registry.ADAPTERS` holds one factory per pair.
"""

from __future__ import annotations

SERVICES = ("council_tax", "waste", "street_reports", "planning", "housing_repairs", "payments")

# service -> the adapter names council.yml may give for it.
ADAPTER_NAMES: dict[str, tuple[str, ...]] = {
    "council_tax": ("revbase", "ctaxpro"),
    "waste": ("wastecal", "bindays"),
    "street_reports": ("open311",),
    "planning": ("planview",),
    "housing_repairs": ("repairdesk",),
    "payments": ("govuk_pay",),
}
