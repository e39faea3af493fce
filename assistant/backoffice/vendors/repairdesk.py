"""RepairDesk (housing repairs).

`POST repairs` with JSON `{"uprn", "description", "client_reference"}` -> 201
`{"repair_id", "target_date"}`.
`POST tenancy-checks` with JSON `{"tenancy_ref", "uprn"}` -> 200 `{"match": true|false}`
(a POST, so the reference is never in a URL or an access log).
A repeated `client_reference` in `POST repairs` answers with the repair already logged;
`GET repairs?client_reference=...` -> `{"repairs": [...]}`.
`GET repairs/<repair_id>` -> 200 `{"repair_id", "status", "target_date"}`, 404 for
an unknown id.
"""

from __future__ import annotations

from typing import Any

from assistant.backoffice.client import BaseClient, field, text_field
from assistant.backoffice.errors import BackOfficeMalformed, NotFound
from assistant.backoffice.housing import RepairBooking, RepairRequest, RepairStatus


class RepairDeskClient(BaseClient):
    """Raw RepairDesk client (bearer key)."""

    def create_repair(self, body: dict[str, str]) -> Any:
        return self.post_json("repairs", body)

    def check_tenancy(self, body: dict[str, str]) -> Any:
        return self.post_json("tenancy-checks", body)

    def repairs_with(self, client_reference: str) -> Any:
        return self.get("repairs", params={"client_reference": client_reference})

    def repair(self, repair_id: str) -> Any:
        return self.get(f"repairs/{repair_id}")


class RepairDeskRepairs:
    """HousingRepairService over RepairDesk."""

    def __init__(self, client: RepairDeskClient) -> None:
        self.client = client

    def book(self, request: RepairRequest) -> RepairBooking:
        body = {"uprn": request.uprn, "description": request.description, "priority": "routine"}
        if request.client_reference:
            body["client_reference"] = request.client_reference
        return _booking(self.client.create_repair(body))

    def tenancy_at(self, reference: str, uprn: str) -> bool:
        answer = self.client.check_tenancy({"tenancy_ref": reference, "uprn": uprn})
        return isinstance(answer, dict) and answer.get("match") is True

    def find(self, client_reference: str) -> RepairBooking | None:
        found = field(self.client.repairs_with(client_reference), "repairs")
        if not isinstance(found, list):
            raise BackOfficeMalformed("repairs is not a list")
        return _booking(found[0]) if found else None

    def status(self, reference: str) -> RepairStatus:
        if not reference.isalnum():
            raise NotFound(f"{reference!r} is not a repair id")
        answer = self.client.repair(reference)
        return RepairStatus(
            reference=text_field(answer, "repair_id"),
            status=text_field(answer, "status"),
            target=text_field(answer, "target_date"),
        )


def _booking(answer: Any) -> RepairBooking:
    return RepairBooking(
        reference=text_field(answer, "repair_id"), target=text_field(answer, "target_date")
    )
