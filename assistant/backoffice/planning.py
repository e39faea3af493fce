"""Planning applications: the typed interface of a planning integration."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class PlanningApplication:
    """A planning application's public record."""

    reference: str
    address: str
    proposal: str
    status: str  # "under consideration", "approved", "refused", "withdrawn"
    decision_date: dt.date | None
    target_date: dt.date | None


class PlanningService(Protocol):
    """Looks up planning applications by reference."""

    def application(self, reference: str) -> PlanningApplication:
        """The application; NotFound when there is none."""
        ...
