"""Reports about streets and missed bins: the typed interface (Open311 shaped)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class NewReport:
    """What the resident reported."""

    service_code: str
    description: str
    address_string: str | None = None
    # Ours, unique per confirmed write: sent along so the write can be found (and not
    # made twice) when its answer is lost (issue 10, finding 7).
    client_reference: str | None = None
    address_id: str | None = None  # the UPRN where the resident chose an address
    # Where it is, from the postcode data (WGS84), for back-offices that take a point.
    latitude: float | None = None
    longitude: float | None = None
    # British National Grid metres, which UK Open311 servers require (issue 12).
    easting: int | None = None
    northing: int | None = None


@dataclass(frozen=True)
class FiledReport:
    """A report the back-office has: its reference, and any notice it gave with it."""

    reference: str
    service_notice: str | None = None


@dataclass(frozen=True)
class ReportStatus:
    """Where a report has got to."""

    reference: str
    service_name: str
    status: str
    status_notes: str | None


class StreetReportService(Protocol):
    """Makes reports and says where they have got to."""

    def service_codes(self) -> list[str]:
        """The kinds of report the council accepts."""
        ...

    def needs_point(self, service_code: str) -> bool:
        """Whether a report to `service_code` is refused without a map point (easting/
        northing or latitude/longitude): the location must then come with a postcode."""
        ...

    def create(self, report: NewReport) -> FiledReport:
        """Make the report. Raises NotSent (nothing sent), ReferenceToFollow (received,
        no reference yet) or another BackOfficeError (not made, or unknown)."""
        ...

    def find(self, client_reference: str, token: str | None = None) -> FiledReport | None:
        """The report made with `client_reference` (or answered with `token`), or
        None; ReferenceToFollow while a token has no reference yet."""
        ...

    def status(self, reference: str) -> ReportStatus:
        """The report's status; NotFound for an unknown reference."""
        ...
