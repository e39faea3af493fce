"""Open311 GeoReport v2: street reports and missed bins.

Endpoints (JSON format): `GET services.json`, `POST requests.json` (form-encoded,
`api_key` in the form), `GET requests/{service_request_id}.json`. Our client reference
travels as the attribute `attribute[client_reference]`; a server that keeps it finds
requests by it (`GET requests.json?attribute[client_reference]=...`) and files a
repeated one once.
"""

from __future__ import annotations

from typing import Any

from assistant.backoffice.client import BaseClient, field, text_field
from assistant.backoffice.errors import BackOfficeMalformed, BackOfficeRejected, NotFound
from assistant.backoffice.street_reports import NewReport, ReportStatus

CLIENT_REFERENCE = "attribute[client_reference]"


class Open311Client(BaseClient):
    """Raw GeoReport v2 client; the key travels as `api_key` on every request."""

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {}

    def auth_params(self, api_key: str) -> dict[str, str]:
        return {"api_key": api_key}

    def services(self) -> Any:
        """GET services.json: the service list."""
        return self.get("services.json")

    def create_request(self, form: dict[str, str]) -> Any:
        """POST requests.json: a new service request."""
        return self.post_form("requests.json", form)

    def requests_with(self, client_reference: str) -> Any:
        """GET requests.json filtered by our client reference: a list of requests."""
        return self.get("requests.json", params={CLIENT_REFERENCE: client_reference})

    def service_request(self, service_request_id: str) -> Any:
        """GET requests/{id}.json: one service request (a one-item list)."""
        return self.get(f"requests/{service_request_id}.json")


class Open311StreetReports:
    """StreetReportService over an Open311 GeoReport v2 endpoint."""

    def __init__(self, client: Open311Client, jurisdiction_id: str | None = None) -> None:
        self.client = client
        self.jurisdiction_id = jurisdiction_id

    def _jurisdiction(self) -> dict[str, str]:
        return {"jurisdiction_id": self.jurisdiction_id} if self.jurisdiction_id else {}

    def service_codes(self) -> list[str]:
        services = self.client.services()
        if not isinstance(services, list):
            raise BackOfficeMalformed("services.json is not a list")
        return [text_field(service, "service_code") for service in services]

    def create(self, report: NewReport) -> str:
        form = {
            **self._jurisdiction(),
            "service_code": report.service_code,
            "description": report.description,
        }
        if report.address_string:
            form["address_string"] = report.address_string
        if report.address_id:
            form["address_id"] = report.address_id
        if report.client_reference:
            form[CLIENT_REFERENCE] = report.client_reference
        if report.latitude is not None and report.longitude is not None:
            form["lat"], form["long"] = f"{report.latitude:.6f}", f"{report.longitude:.6f}"
        answer = self.client.create_request(form)
        first = field(answer, 0)
        if "service_request_id" not in first:
            # A token means the report is queued but has no reference yet: not confirmed.
            raise BackOfficeMalformed("no service_request_id in the answer")
        return text_field(first, "service_request_id")

    def find(self, client_reference: str) -> str | None:
        found = self.client.requests_with(client_reference)
        if not isinstance(found, list):
            raise BackOfficeMalformed("requests.json is not a list")
        return text_field(found, 0, "service_request_id") if found else None

    def status(self, reference: str) -> ReportStatus:
        if not reference.isalnum():
            raise NotFound(f"{reference!r} is not a service request id")
        try:
            answer = self.client.service_request(reference)
        except BackOfficeRejected as error:  # some servers answer 400 for unknown ids
            raise NotFound(str(error)) from error
        record = field(answer, 0)
        notes = record.get("status_notes") if isinstance(record, dict) else None
        return ReportStatus(
            reference=text_field(record, "service_request_id"),
            service_name=text_field(record, "service_name"),
            status=text_field(record, "status"),
            status_notes=notes if isinstance(notes, str) and notes else None,
        )
