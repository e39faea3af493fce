"""RepairDesk (housing repairs): `POST repairs` with JSON `{"uprn", "description"}`.

-> 201 `{"repair_id", "target_date"}`.
`POST tenancy-checks` with JSON `{"tenancy_ref", "uprn"}` -> 200 `{"match": true|false}`
(a POST, so the reference is never in a URL or an access log).
"""

from __future__ import annotations

from typing import Any

from assistant.backoffice.client import BaseClient, text_field
from assistant.backoffice.housing import RepairBooking, RepairRequest


class RepairDeskClient(BaseClient):
    """Raw RepairDesk client (bearer key)."""

    def create_repair(self, body: dict[str, str]) -> Any:
        return self.post_json("repairs", body)

    def check_tenancy(self, body: dict[str, str]) -> Any:
        return self.post_json("tenancy-checks", body)


class RepairDeskRepairs:
    """HousingRepairService over RepairDesk."""

    def __init__(self, client: RepairDeskClient) -> None:
        self.client = client

    def book(self, request: RepairRequest) -> RepairBooking:
        answer = self.client.create_repair(
            {"uprn": request.uprn, "description": request.description, "priority": "routine"}
        )
        return RepairBooking(
            reference=text_field(answer, "repair_id"), target=text_field(answer, "target_date")
        )

    def tenancy_at(self, reference: str, uprn: str) -> bool:
        answer = self.client.check_tenancy({"tenancy_ref": reference, "uprn": uprn})
        return isinstance(answer, dict) and answer.get("match") is True
