"""PlanView (planning register): `GET applications?reference=...`.

-> `{"applications": [{"reference", "site_address", "proposal", "status",
     "decision_date", "target_date"}]}` (dates ISO 8601 or null).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.backoffice.client import BaseClient, field, text_field
from assistant.backoffice.errors import BackOfficeMalformed, NotFound
from assistant.backoffice.planning import PlanningApplication


class PlanViewClient(BaseClient):
    """Raw PlanView client (bearer key)."""

    def search(self, reference: str) -> Any:
        return self.get("applications", params={"reference": reference})


class PlanViewPlanning:
    """PlanningService over PlanView."""

    def __init__(self, client: PlanViewClient) -> None:
        self.client = client

    def application(self, reference: str) -> PlanningApplication:
        rows = field(self.client.search(reference), "applications")
        if not isinstance(rows, list):
            raise BackOfficeMalformed("applications is not a list")
        if not rows:
            raise NotFound(f"no planning application {reference}")
        row = rows[0]
        return PlanningApplication(
            reference=text_field(row, "reference"),
            address=text_field(row, "site_address"),
            proposal=text_field(row, "proposal"),
            status=text_field(row, "status"),
            decision_date=_optional_date(row, "decision_date"),
            target_date=_optional_date(row, "target_date"),
        )


def _optional_date(row: Any, key: str) -> dt.date | None:
    value = field(row, key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise BackOfficeMalformed(f"{key} is not a date") from error
