"""Housing repairs: the typed interface of a repairs integration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RepairRequest:
    """A routine (non-emergency) repair to a council home."""

    uprn: str
    description: str
    client_reference: str | None = None  # ours, per confirmed write (issue 10, finding 7)


@dataclass(frozen=True)
class RepairBooking:
    """The repair as logged: its reference and when someone should come."""

    reference: str
    target: str


@dataclass(frozen=True)
class RepairStatus:
    """Where a logged repair has got to (issue 9, item 5: repairs can be tracked)."""

    reference: str
    status: str  # "open" or "closed"
    target: str  # when it should be done (ISO date)


class HousingRepairService(Protocol):
    """Logs routine repairs and tells where they have got to."""

    def book(self, request: RepairRequest) -> RepairBooking:
        """Log the repair; raises BackOfficeError when it was not logged."""
        ...

    def tenancy_at(self, reference: str, uprn: str) -> bool:
        """Whether tenancy `reference` is for the home `uprn` (False when either is
        unknown: never reveal which); raises BackOfficeError when it cannot tell."""
        ...

    def find(self, client_reference: str) -> RepairBooking | None:
        """The repair logged with `client_reference`, or None."""
        ...

    def status(self, reference: str) -> RepairStatus:
        """A logged repair's status; raises NotFound for an unknown reference."""
        ...
