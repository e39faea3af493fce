"""RepairDesk (housing repairs): `POST repairs` with JSON `{"uprn", "description"}`.

-> 201 `{"repair_id", "target_date"}`. `GET repairs/<repair_id>` -> 200
`{"repair_id", "status", "target_date"}`, 404 for an unknown id.
"""

from __future__ import annotations

from typing import Any

from assistant.backoffice.client import BaseClient, text_field
from assistant.backoffice.errors import NotFound
from assistant.backoffice.housing import RepairBooking, RepairRequest, RepairStatus


class RepairDeskClient(BaseClient):
    """Raw RepairDesk client (bearer key)."""

    def create_repair(self, body: dict[str, str]) -> Any:
        return self.post_json("repairs", body)

    def repair(self, repair_id: str) -> Any:
        return self.get(f"repairs/{repair_id}")


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

    def status(self, reference: str) -> RepairStatus:
        if not reference.isalnum():
            raise NotFound(f"{reference!r} is not a repair id")
        answer = self.client.repair(reference)
        return RepairStatus(
            reference=text_field(answer, "repair_id"),
            status=text_field(answer, "status"),
            target=text_field(answer, "target_date"),
        )
