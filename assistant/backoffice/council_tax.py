"""Council tax accounts: the typed interface every council tax integration provides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from assistant.identifiers import normalise_postcode


@dataclass(frozen=True)
class Instalment:
    """One instalment due on an account."""

    due: dt.date
    amount_pence: int


@dataclass(frozen=True)
class CouncilTaxAccount:
    """A council tax account as the back-office holds it."""

    reference: str
    property_postcode: str
    balance_pence: int
    next_instalment: Instalment | None
    discounts: tuple[str, ...]

    def belongs_to(self, postcode: str) -> bool:
        """True when `postcode` is the account's property postcode (any spacing or case)."""
        given = normalise_postcode(postcode)
        held = normalise_postcode(self.property_postcode)
        return given is not None and given == held


class CouncilTaxService(Protocol):
    """Looks up council tax accounts."""

    def account(self, reference: str) -> CouncilTaxAccount:
        """The account with this reference; NotFound when there is none."""
        ...
